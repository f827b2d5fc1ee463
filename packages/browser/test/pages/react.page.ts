// Runs in Chromium: an app rendered with React that wraps itself in <CloseloopProvider> and
// offers a <FeedbackButton>, as a product team would. The test sets `window.__closeloop`.
import { createElement, useEffect } from "react";
import { createRoot } from "react-dom/client";
import { CloseloopProvider, FeedbackButton, useCloseloop } from "../../src/react.js";

const w = window as unknown as {
  __closeloop: { options: Parameters<typeof CloseloopProvider>[0]["options"] };
  events: [string, unknown][];
  ready?: boolean;
  unmount: () => void;
};
w.events = [];

function Listener() {
  const closeloop = useCloseloop();
  useEffect(() => {
    if (!closeloop) return;
    w.ready = true;
    return closeloop.on("feedback:sent", (e) => {
      w.events.push(["feedback:sent", e]);
    });
  }, [closeloop]);
  return null;
}

const root = createRoot(document.body.appendChild(document.createElement("div")));
root.render(
  createElement(
    CloseloopProvider,
    { options: w.__closeloop.options },
    createElement(Listener),
    createElement(FeedbackButton, { className: "app-button" }, "Send feedback"),
  ),
);
w.unmount = () => root.unmount();
