/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.js";

/** The sign-in form; `error` says why the last attempt failed. */
export const SignInPage: FC<{ error?: string; email?: string }> = ({ error, email }) => (
  <Layout title="Sign in">
    <form method="post" action="/desk/sign-in" class="sign-in">
      <h1>Closeloop desk</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value={email} />
      <label for="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
      />
      <button type="submit">Sign in</button>
    </form>
  </Layout>
);
