/** @jsxImportSource hono/jsx */
import type { Survey } from "@closeloop/core";
import type { FC } from "hono/jsx";
import type { DeskUser } from "../../store/desk-types.js";
import { can } from "../roles.js";
import { Layout, Outcome } from "./layout.js";

/**
 * Each active survey's routes and who owns them. A lead changes owners here: that publishes the
 * survey's next version, through the same gate as the API.
 */
export const SurveysPage: FC<{
  user: DeskUser;
  surveys: Survey[];
  owners: string[];
  refusal?: string;
  done?: string;
}> = ({ user, surveys, owners, refusal, done }) => {
  const edit = can(user.role, "lead");
  return (
    <Layout title="Surveys" user={user}>
      <h1>Who owns each survey's loops</h1>
      <Outcome refusal={refusal} done={done} />
      {surveys.length === 0 && <p>No survey is published yet.</p>}
      <datalist id="owners">
        {owners.map((o) => (
          <option value={o} />
        ))}
      </datalist>
      {surveys.map((s) => (
        <section aria-labelledby={`survey-${s.id}`}>
          <h2 id={`survey-${s.id}`}>
            {s.name}{" "}
            <span class="role">
              ({s.id}, version {String(s.version)})
            </span>
          </h2>
          <form method="post" action={`/desk/surveys/${encodeURIComponent(s.id)}/owners`}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Segment</th>
                  <th scope="col">Action</th>
                  <th scope="col">Owner</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(s.loop.routes).map(([segment, route]) => (
                  <tr>
                    <th scope="row">{segment}</th>
                    <td>{route.action}</td>
                    <td>
                      {edit ? (
                        <input
                          name={`owner.${segment}`}
                          value={route.owner ?? ""}
                          list="owners"
                          aria-label={`Owner of ${segment} loops`}
                          maxlength={128}
                        />
                      ) : (
                        (route.owner ?? "–")
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {edit && (
              <button type="submit">
                Publish version {String(s.version + 1)} with these owners
              </button>
            )}
          </form>
        </section>
      ))}
    </Layout>
  );
};
