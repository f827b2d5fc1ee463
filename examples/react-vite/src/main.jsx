import { CloseloopProvider, FeedbackButton, useCloseloop } from "@closeloop/browser/react";
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";

// Vite puts VITE_* variables of the environment into the build: your collector and public key.
const options = {
  endpoint: import.meta.env.VITE_CLOSELOOP_ENDPOINT ?? "http://127.0.0.1:7345",
  publicKey: import.meta.env.VITE_CLOSELOOP_PUBLIC_KEY,
};

/** Shows what the SDK reports: the survey finished, feedback sent, or an error. */
function Status() {
  const closeloop = useCloseloop();
  const [status, setStatus] = useState("starting…");
  useEffect(() => {
    if (!closeloop) return;
    setStatus("ready");
    const offs = [
      closeloop.on("survey:finished", () => setStatus("thanks for answering!")),
      closeloop.on("feedback:sent", () => setStatus("feedback sent")),
      closeloop.on("error", (e) => setStatus(`error: ${e.message}`)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [closeloop]);
  return (
    <p id="closeloop-status" role="status">
      Closeloop: {status}
    </p>
  );
}

function App() {
  return (
    <CloseloopProvider options={options}>
      <main>
        <h1>Acme dashboard</h1>
        <p>A survey appears in a moment; the button opens the feedback form.</p>
        <FeedbackButton>Send feedback</FeedbackButton>
        <Status />
      </main>
    </CloseloopProvider>
  );
}

createRoot(document.getElementById("root")).render(<App />);
