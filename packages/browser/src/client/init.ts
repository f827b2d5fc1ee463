import { CloseloopError, type ClosureNotice, type Survey } from "@closeloop/core";
import { createTargeting } from "../targeting/index.js";
import { mountClosureNotice, mountFeedback, mountTrigger } from "../widget/index.js";
import type { ViewHandle } from "../widget/types.js";
import { type BaseParts, createBase, type LiteClient } from "./base.js";
import { fetchClosures, fetchSurveys, translationsOf } from "./collector-api.js";
import type { InitOptions } from "./options.js";
import { hasSavedRun, runSurvey } from "./survey-run.js";
import { widgetOptions } from "./widget-options.js";

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
  const [client, o, kv, bus, outbox, respondent, identity, anonymousId, report, send] = createBase(
    options,
    widgetOptions,
  );
  const parts: BaseParts = {
    options_: o,
    kv_: kv,
    bus_: bus,
    outbox_: outbox,
    respondent_: respondent,
    identity_: identity,
    anonymousId_: anonymousId,
    report_: report,
    send_: send,
  };
  let surveys: Survey[] = [];
  let open: ViewHandle | undefined;
  let stopped = false;
  const pending: ClosureNotice[] = [];
  // Ids of the notices shown here, newest last; read when needed, not while init runs.
  const seen = () => kv.get_<string[]>("seen-closures") ?? [];
  const env = () => ({
    container: o.container ?? document.body,
    theme: o.theme,
    locale: o.locale_,
    translations: translationsOf(parts),
    nonce: o.nonce,
  });
  // Whatever is on screen calls this when it goes: the next notice may show.
  const closed = () => {
    open?.close();
    open = undefined;
    showNextClosure();
  };
  // Surveys are offered only once the outbox is open (see the start below), so its kind is known.
  let storeKind: string | undefined;
  // Don't ask if you cannot listen: with only memory to keep it and no connection, an answer
  // would be lost on the next navigation.
  const present = (survey: Survey): boolean => {
    if (open || stopped || !storeKind || (storeKind === "memory" && !navigator.onLine))
      return false;
    try {
      open = runSurvey(parts, survey, env(), () => targeting.recordAnswered(survey.id), closed);
      return true;
    } catch (e) {
      report(e);
      return false;
    }
  };
  const targeting = createTargeting({
    window,
    storage: kv,
    cooldownDays: o.cooldownDays,
    isBusy: () => !!open,
    show: present,
    onError: report,
  });
  bus.on("track", ({ name, props }) => targeting.track(name, props));

  function showNextClosure() {
    const notice = pending.shift();
    if (!notice || open || stopped) return;
    open = mountClosureNotice({
      ...env(),
      notice,
      onSeen() {
        kv.set_("seen-closures", [...seen(), notice.id].slice(-200));
        bus.emit("closure:shown", { noticeId: notice.id, loopId: notice.loopId });
        send("closure-seen", `closure-seen:${notice.id}`, { noticeId: notice.id }, true);
      },
      onDismiss: closed,
    });
  }
  const loadClosures = async () => {
    for (const n of await fetchClosures(parts)) {
      if (!n.seenAt && !seen().includes(n.id) && !pending.some((p) => p.id === n.id))
        pending.push(n);
    }
    showNextClosure();
  };

  const openFeedback = () => {
    if (open || stopped) return false;
    open = mountFeedback({
      ...env(),
      onSubmit: (input) => client.captureFeedback(input).then(() => {}),
      onDismiss: closed,
    });
    return true;
  };
  const button = o.feedbackButton && mountTrigger(env(), o.feedbackButton.label, openFeedback);

  // Everything that reads storage or the network runs after `init` returned, in later tasks,
  // so that init itself costs the page a few milliseconds at most.
  void (async () => {
    storeKind = (await outbox).storeKind_;
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
    identify(who) {
      client.identify(who);
      void loadClosures().catch(report);
    },
    async shutdown() {
      stopped = true;
      try {
        targeting.stop();
        open?.close();
        if (button) button.close();
      } catch (e) {
        report(e);
      }
      await client.shutdown();
    },
    async showSurvey(id) {
      storeKind = (await outbox).storeKind_;
      const survey = (surveys.length ? surveys : await fetchSurveys(parts)).find(
        (s) => s.id === id,
      );
      if (!survey) report(new CloseloopError("unknown_survey", `no active survey "${id}"`));
      const shown = !!survey && present(survey);
      if (shown) targeting.recordShown(id);
      return shown;
    },
    openFeedback,
  };
}
