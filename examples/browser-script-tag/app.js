// Starts Closeloop with the collector and public key from config.js. `init` throws a
// ValidationError naming every bad option; after that, failures arrive as `error` events.
const closeloop = window.Closeloop.init({
  endpoint: window.CLOSELOOP_CONFIG.endpoint,
  publicKey: window.CLOSELOOP_CONFIG.publicKey,
});
closeloop.on("error", (e) => console.warn("closeloop", e.code, e.message));
closeloop.on("survey:finished", (e) => console.info("closeloop: survey finished", e));
document.getElementById("feedback").addEventListener("click", () => closeloop.openFeedback());
