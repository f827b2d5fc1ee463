import { CloseloopError, type ClosureNotice, type Survey } from "@closeloop/core";
import { createTargeting } from "../targeting/index.js";
import { mountClosureNotice, mountFeedback } from "../widget/index.js";
import type { ViewHandle } from "../widget/types.js";
import { createBase, type LiteClient } from "./base.js";
import { fetchClosures, fetchSurveys } from "./collector-api.js";
import type { InitOptions } from "./options.js";
import { hasSavedRun, runSurvey } from "./survey-run.js";

/** The browser client: the lite client plus surveys, the feedback form and closure notices. */
export interface Client extends LiteClient {
  /**
   * Shows an active survey now, whatever its targeting says (your app decided), unless
   * something is already on screen or its answer could not be kept. Resolves `true` when shown.
   */
  showSurvey(id: string): Promise<boolean>;
  /** Opens the feedback form (category, text; the page's URL goes along as context). */
  openFeedback(): boolean;
}

/**
 * Starts Closeloop in a page: fetches the active surveys, shows them as their targeting and
 * the fatigue rules allow, resumes a survey left unfinished by a reload, and shows the
 * respondent's closure notices ("you told us … here is what we did"). Throws
 * `ValidationError` naming every bad option; after that, nothing is thrown at the page —
 * failures are `error` events.
 *
 * @example
 * import { init } from "@closeloop/browser";
 * const closeloop = init({ endpoint: "https://feedback.example.com", publicKey: "pk_…" });
 * closeloop.identify({ id: user.id, token: user.closeloopToken });
 * closeloop.track("export_finished", { format: "csv" });
 */
export function init(options: InitOptions): Client {
  const { client, parts } = createBase(options);
  const { kv, report } = parts;
  let surveys: Survey[] = [];
  let open: ViewHandle | undefined;
  let stopped = false;
  const pending: ClosureNotice[] = [];
  let seenIds: Set<string> | undefined;
  const seen = () => {
    seenIds ??= new Set(kv.get<string[]>("seen-closures") ?? []);
    return seenIds;
  };

  const container = () => parts.options.container ?? document.body;
  const env = () => ({
    container: container(),
    theme: parts.options.theme,
    locale: parts.options.locale,
    ...(parts.options.nonce ? { nonce: parts.options.nonce } : {}),
  });
  const closed = () => {
    open = undefined;
    showNextClosure();
  };

  // Surveys are offered only once the outbox is open (see the start below), so its kind is known.
  let storeKind: string | undefined;
  // Don't ask if you cannot listen: with only memory to keep it and no connection, an answer
  // would be lost on the next navigation.
  const canKeep = () =>
    storeKind !== undefined && (storeKind !== "memory" || globalThis.navigator?.onLine !== false);

  const present = (survey: Survey): boolean => {
    if (open || stopped || !canKeep()) return false;
    try {
      open = runSurvey(parts, survey, {
        onFinished: () => targeting.recordAnswered(survey.id),
        onClosed: closed,
      });
      return true;
    } catch (e) {
      report(e);
      return false;
    }
  };

  const targeting = createTargeting({
    window,
    storage: kv,
    cooldownDays: parts.options.cooldownDays,
    isBusy: () => open !== undefined,
    show: present,
    onError: report,
  });
  parts.onShutdown(() => targeting.stop());
  parts.onShutdown(() => {
    stopped = true;
    open?.close();
  });
  parts.bus.on("track", ({ name, props }) => targeting.track(name, props));

  function showNextClosure() {
    const notice = pending.shift();
    if (!notice || open || stopped) return;
    open = mountClosureNotice({
      ...env(),
      notice,
      onSeen() {
        kv.set("seen-closures", [...seen().add(notice.id)].slice(-200));
        parts.bus.emit("closure:shown", { noticeId: notice.id, loopId: notice.loopId });
        parts
          .send("closure-seen", `closure-seen:${notice.id}`, { noticeId: notice.id })
          .then(() => parts.outbox.then((o) => o.flush()))
          .catch(report);
      },
      onDismiss() {
        open?.close();
        closed();
      },
    });
  }
  const loadClosures = async () => {
    for (const n of await fetchClosures(parts)) {
      if (!n.seenAt && !seen().has(n.id) && !pending.some((p) => p.id === n.id)) pending.push(n);
    }
    showNextClosure();
  };
  parts.onIdentify(() => void loadClosures().catch(report));

  // Everything that reads storage or the network runs after `init` returned, in later tasks,
  // so that init itself costs the page a few milliseconds at most.
  void (async () => {
    storeKind = (await parts.outbox).storeKind;
    surveys = await fetchSurveys(parts);
    if (stopped) return;
    // A survey left unfinished by a reload comes back at once: it was already shown.
    const unfinished = surveys.find((s) => hasSavedRun(parts, s));
    if (unfinished) present(unfinished);
    targeting.setSurveys(surveys);
    await loadClosures();
  })().catch(report);

  return {
    ...client,
    async showSurvey(id) {
      const survey =
        surveys.find((s) => s.id === id) ?? (await fetchSurveys(parts)).find((s) => s.id === id);
      if (!survey) {
        report(new CloseloopError("unknown_survey", `no active survey "${id}"`));
        return false;
      }
      storeKind = (await parts.outbox).storeKind;
      const shown = present(survey);
      if (shown) targeting.recordShown(survey.id);
      return shown;
    },
    openFeedback() {
      if (open || stopped) return false;
      open = mountFeedback({
        ...env(),
        onSubmit: (input) => client.captureFeedback(input).then(() => {}),
        onDismiss() {
          open?.close();
          closed();
        },
      });
      return true;
    },
  };
}
