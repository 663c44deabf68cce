// English strings for the notify pages (the reference: keys are typed from this file).
export default {
  devMail: {
    pageTitle: "Sent mail (development)",
    title: "Sent mail (development sink)",
    intro:
      "No SMTP server is configured, so the worker delivers to an in-process sink. The last 500 messages are kept in memory until the console restarts. Production builds have no sink and no viewer.",
    empty: "Nothing received yet.",
    received: "Received",
    to: "To",
    subject: "Subject",
    size: "Size",
    noSubject: "(no subject)",
    kilobytes: "{{size}} KB",
    back: "Sent mail",
    from: "From: {{from}}",
    toEnvelope: "To: {{to}} (envelope: {{envelope}})",
    receivedAt: "Received: {{at}}",
    htmlPart: "HTML part",
    noHtml: "No HTML part.",
  },
  devSms: {
    pageTitle: "Sent text messages (development)",
    title: "Sent text messages (development sink)",
    intro:
      "No SMS provider is configured, so text messages are kept in memory (the last 500) until the console restarts. Production has no sink and no viewer.",
    empty: "Nothing sent yet.",
    sent: "Sent",
    to: "To",
    text: "Text",
  },
};
