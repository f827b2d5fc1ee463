import { type ButtonHTMLAttributes, createElement, type ReactNode } from "react";
import { useCloseloop } from "./provider.js";

/** Props of {@link FeedbackButton}: a button's, but its type and click are the SDK's. */
export interface FeedbackButtonProps
  extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "onClick" | "type"> {
  /** The label; default "Feedback". */
  children?: ReactNode;
}

/**
 * A button that opens Closeloop's feedback form (`openFeedback()`), styled as your app styles
 * its buttons. Disabled until the provider's client has started (and on a server).
 *
 * @example
 * <FeedbackButton className="btn">Tell us what you think</FeedbackButton>
 */
export function FeedbackButton({
  children = "Feedback",
  disabled,
  ...rest
}: FeedbackButtonProps): ReactNode {
  const client = useCloseloop();
  return createElement(
    "button",
    {
      ...rest,
      type: "button",
      disabled: disabled === true || client === undefined,
      onClick: () => client?.openFeedback(),
    },
    children,
  );
}
