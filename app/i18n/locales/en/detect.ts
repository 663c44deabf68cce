// English strings for the early-warning pages (the reference: keys are typed from this file).
export default {
  title: "Alerts",
  intro:
    "Detectors compare each minute of the wallet's activity with the same minutes of past weeks and raise an alert when a wave starts.",
  empty: "No alert has been raised.",
  detector: {
    "signin-new-device-abroad": "New-device sign-ins from abroad",
    "accounts-per-ip": "Accounts signed into from one IP",
    "accounts-per-device": "Accounts signed into from one device",
    "card-topup-after-new-device": "Card top-ups within the hour after a new-device sign-in",
    "resellable-per-store": "Resellable goods bought at one store (¥)",
    "topup-after-contact-change": "Top-ups within the hour after a contact change",
    "failed-signin-rate": "Failed sign-ins",
    "contact-change-after-new-device": "E-mail or phone changed within an hour of a new-device sign-in",
  },
  severity: { LOW: "Low", MEDIUM: "Medium", HIGH: "High" },
  column: {
    raised: "Raised (JST)",
    detector: "Detector",
    severity: "Severity",
    value: "Value",
    baseline: "Usual",
    state: "State",
  },
  state: { open: "Open", ended: "Ended", acknowledged: "Acknowledged" },
  banner: {
    raised: "Alert: {{detector}} ({{severity}})",
    open: "See the alert",
  },
  detail: {
    title: "Alert: {{detector}}",
    version: "Detector version {{version}}",
    minute: "Minute (JST)",
    evidence: "Behind this alert",
    accounts: "Accounts ({{count}})",
    devices: "Devices ({{count}})",
    ips: "IP addresses ({{count}})",
    stores: "Stores ({{count}})",
    none: "None",
    incident: "Incident",
    noIncident: "Not linked to an incident.",
    cohort: "Cohort",
    summary:
      "In the {{minutes}} minutes from {{from}} to {{to}}, across {{accounts}} accounts (usually {{usual}}, now {{value}}).",
    next: "What to do next: {{next}}",
  },
  next: {
    "signin-new-device-abroad":
      "Save the accounts as a cohort and freeze them until each customer confirms. If it keeps growing, consider stopping card top-ups.",
    "accounts-per-ip": "Save the accounts signed into from this address as a cohort and send them password resets.",
    "accounts-per-device":
      "Save the accounts signed into from this device as a cohort, freeze them and send them password resets.",
    "card-topup-after-new-device":
      "Consider stopping card top-ups. Freeze the accounts and start reversing the fraudulent top-ups.",
    "resellable-per-store": "Check the purchases at this store and freeze the accounts that made them.",
    "topup-after-contact-change":
      "Freeze the accounts, restore each one's verified contact, then start reversing the top-ups.",
    "failed-signin-rate":
      "Possibly credential stuffing. Check the accounts that were signed into; freeze any the customer does not recognise and send a password reset.",
    "contact-change-after-new-device":
      "Possibly accounts just taken over. Before money moves, freeze them, restore each one's verified contact and send a password reset.",
  },
  action: {
    acknowledge: "Acknowledge",
    link: "Link to incident",
    makeCohort: "Turn into a cohort",
  },
  toast: {
    acknowledged: "Alert acknowledged.",
    linked: "Alert linked to the incident.",
    cohortCreated: "Cohort created from the alert's accounts.",
  },
  policies: {
    title: "Containment policies",
    intro:
      "A policy engages a kill switch as soon as a detector alerts at or above a severity. One security lead proposes it, a second approves it; until then it does nothing. Releasing the switch still takes two people.",
    empty: "No policy yet: every switch is engaged by hand.",
    propose: "Propose a policy",
    history: "Alerts in the {{weeks}} ordinary weeks of the recorded history, by severity reached",
    historyOutdated:
      "Not known for the current version of {{detectors}}: the recorded weeks were run through an earlier version. Shown as —.",
    historyUnknown: "Not known for this version of the detector",
    column: {
      severity: "At or above",
      switch: "Engages",
      status: "Status",
      history: "Would have fired ({{weeks}} weeks)",
    },
    status: { PROPOSED: "Proposed", ACTIVE: "Active", DISABLED: "Disabled" },
    action: { propose: "Propose", approve: "Approve", disable: "Disable" },
    toast: {
      proposed: "Policy proposed: a second security lead must approve it.",
      approved: "Policy approved: it is active.",
      disabled: "Policy disabled.",
    },
    waves: {
      title: "Against each wave the generator can produce",
      intro:
        "The recorded history with its attack reshaped into each wave, run through the same detectors on a simulated clock: the yen of fraudulent top-ups the attack would still have taken with the policy, against all of it without.",
      outdated:
        "not known: this detector has changed since the waves were recorded (run scripts/record-policy-history.ts).",
      policy: "{{detector}} at {{severity}} or above → {{switchKey}} ({{status}})",
      column: {
        wave: "Wave",
        without: "Taken without the policy",
        with: "Taken with the policy",
        engaged: "Switch engaged",
      },
      never: "never",
      before: "{{minutes}} min before the first fraudulent top-up",
      after: "{{minutes}} min after the first fraudulent top-up",
      text: "As a text table",
      name: {
        "7pay": "7pay (as recorded)",
        "other-countries": "Other countries",
        "residential-jp": "Japanese residential IPs",
        "one-device-per-victim": "One device per victim",
        "slow-drip": "Slow drip over weeks",
        "cash-top-ups": "Cash top-ups",
        quiet: "All of the quiet ones at once",
      },
    },
  },
  errors: {
    unknownDetector: "Choose one of the detectors.",
    unknownSwitch: "There is no such kill switch.",
    policyNotFound: "There is no such policy.",
    secondLead: "A policy is approved by a second security lead, not by the one who proposed it.",
    notProposed: "Only a proposed policy can be approved.",
    firingTakenOver: "Another worker took this containment firing over; it records the outcome.",
    staffOnly: "Only staff can handle alerts.",
    notFound: "There is no such alert.",
    alreadyAcknowledged: "This alert has already been acknowledged.",
    incidentNotFound: "There is no such incident.",
    hasCohort: "This alert already has a cohort.",
    noAccounts: "The alert names no account: there is nothing to save.",
    badRequest: "Choose an action.",
    alreadyOnDuty: "You are already on duty.",
    alreadyOffDuty: "You are not on duty.",
  },
  duty: {
    title: "On duty",
    link: "Who is on duty",
    intro:
      "Alerts and containments are mailed to the security leads on duty, each in their console language, with a link to the alert.",
    nobody: "Nobody is on duty: every active security lead ({{count}}) is mailed.",
    onDuty: "On duty",
    since: "since {{since}}",
    you: { on: "You are on duty.", off: "You are not on duty." },
    action: { on: "Go on duty", off: "Go off duty" },
    toast: { on: "You are on duty: alerts will be mailed to you.", off: "You are off duty." },
  },
  leadMail: {
    title: "Alert mail that did not reach a security lead: {{count}}",
    onAlertTitle: "Mail to the leads about this alert did not arrive: {{count}}",
    intro:
      "A lead who relies on mail may not know of the alert. The console itself shows every alert (here and in the banner): while an alert is open, tell the lead another way (phone, chat) as well.",
    alertMail: "Alert mail",
    containmentMail: "Containment mail",
    to: "to {{name}} ({{recipient}})",
    failed:
      "Failed: the mail server refused it for good, or every retry failed. Check the lead's address with them, then resend it.",
    uncertain:
      "Needs review: it may have arrived. Look up its Message-ID in the mail server's log; resend only if the server never took it.",
    openAlert: "Open the alert",
    more: "and {{count}} more",
  },
  mail: {
    open: "Open the alert",
    alert: {
      subject: "[Firebreak] Alert: {{detector}} ({{severity}})",
      body: 'The detector "{{detector}}" alerted at severity {{severity}} for the minute {{minute}} (JST), value {{value}}.',
      evidence: "Behind it: {{accounts}} accounts, {{devices}} devices, {{ips}} IP addresses, {{stores}} stores.",
    },
    containment: {
      subject: "[Firebreak] Containment: {{switchKey}}",
      body: 'An approved containment policy fired: "{{detector}}" alerted at severity {{severity}}.',
      engaged: "The system engaged the kill switch {{switchKey}}.",
      alreadyEngaged: "The kill switch {{switchKey}} was already engaged.",
      failed: "The system could not engage the kill switch {{switchKey}}: engage it by hand.",
      release: "Releasing the switch takes two people on the switch board.",
    },
    whyOnDuty: "You get this mail because you are on duty in Firebreak.",
    whyEveryone: "You get this mail because no security lead is on duty: every security lead is told.",
  },
};
