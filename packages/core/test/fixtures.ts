import type { SurveyInput } from "../src/index.js";

/** The complete example survey: an onboarding NPS with a route for every segment. */
export function onboardingNps(): SurveyInput {
  return {
    id: "onboarding-nps",
    version: 1,
    name: "Onboarding NPS",
    journey: "onboarding",
    touchpoint: "first-week",
    locales: ["en", "fr"],
    questions: [
      {
        id: "score",
        type: "nps",
        required: true,
        text: { en: "How likely are you to recommend us?", fr: "Nous recommanderiez-vous ?" },
      },
      {
        id: "why",
        type: "open_text",
        required: false,
        maxLength: 2000,
        text: { en: "What is the main reason?", fr: "Pour quelle raison ?" },
      },
    ],
    logic: [],
    targeting: {
      url: [{ match: "prefix", value: "/app" }],
      events: [],
      delayMs: 2000,
      sampleRate: 1,
    },
    display: { mode: "once", recontactDays: 30 },
    loop: {
      routes: {
        detractor: {
          action: "follow-up",
          owner: "support",
          acknowledgeWithin: "4h",
          closeWithin: "48h",
          acknowledge: {
            message: {
              en: "We're sorry we let you down. Someone from our team will contact you within two days. Thank you for telling us.",
              fr: "Désolés de vous avoir déçu. Notre équipe vous contactera sous deux jours. Merci de nous l'avoir dit.",
            },
          },
        },
        passive: {
          action: "none",
          acknowledge: {
            message: {
              en: "Thank you — we read every answer.",
              fr: "Merci, nous lisons chaque réponse.",
            },
          },
        },
        promoter: {
          action: "none",
          acknowledge: {
            message: {
              en: "Thank you! Glad we got it right.",
              fr: "Merci ! Ravis que cela vous plaise.",
            },
          },
        },
      },
    },
  };
}
