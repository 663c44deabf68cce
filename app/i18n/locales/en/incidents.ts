// English strings for the incident home page and cases (the reference: keys are typed from this file).
export default {
  home: {
    pageTitle: "Incident",
    noIncident: "No incident on record",
    seedHint: "Seed the 7pay replay with <code>npm run seed</code> to rehearse one.",
    opened: "opened {{at}}",
    victims: "Victim accounts",
    stolen: "Stolen so far",
    reversed: "Reversed so far",
    frozen: "Accounts frozen",
    casesByStatus: "Cases by status",
  },
  incidentStatus: { OPEN: "OPEN", CONTAINED: "CONTAINED", RESOLVED: "RESOLVED" },
  caseStatus: {
    OPEN: "OPEN",
    CONTAINED: "CONTAINED",
    REMEDIATED: "REMEDIATED",
    NOTIFIED: "NOTIFIED",
    CLOSED: "CLOSED",
  },
};
