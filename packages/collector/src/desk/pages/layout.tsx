/** @jsxImportSource hono/jsx */
import type { Child, FC } from "hono/jsx";
import type { DeskUser } from "../../store/desk-types.js";

/** What became of the last action: refused with why, or done. */
export const Outcome: FC<{ refusal?: string | undefined; done?: string | undefined }> = ({
  refusal,
  done,
}) => (
  <>
    {refusal && (
      <p class="error" role="alert">
        Not done: {refusal}
      </p>
    )}
    {done && (
      <p class="ok" role="status">
        {done}
      </p>
    )}
  </>
);

/** Every desk page: one stylesheet and one script, both served by the collector (CSP `'self'`). */
export const Layout: FC<{ title: string; user?: DeskUser; children?: Child }> = ({
  title,
  user,
  children,
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · Closeloop desk`}</title>
      <link rel="stylesheet" href="/desk/assets/desk.css" />
      <script src="/desk/assets/desk.js" defer />
    </head>
    <body>
      <a class="skip" href="#main">
        Skip to content
      </a>
      {user && (
        <header class="top">
          <nav aria-label="Desk">
            <a href="/desk">Inbox</a>
            <a href="/desk/charts">Charts</a>
            <a href="/desk/surveys">Surveys</a>
          </nav>
          <form method="post" action="/desk/sign-out" class="who">
            <span>
              {user.email} <span class="role">{user.role}</span>
            </span>
            <button type="submit">Sign out</button>
          </form>
        </header>
      )}
      <main id="main">{children}</main>
    </body>
  </html>
);
