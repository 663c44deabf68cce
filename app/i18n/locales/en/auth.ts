// English strings for the sign-in and enrollment pages (the reference: keys are typed from this file).
export default {
  panel: { product: "Firebreak" },
  signIn: {
    title: "Sign in to the console",
    pageTitle: "Sign in",
    description: "Staff only. You will need your authenticator app.",
    expired:
      "Your session has ended (after 15 minutes without activity, 12 hours at most, or ended by an admin). Sign in again to continue.",
    email: "Work email",
    password: "Password",
    checking: "Checking…",
    continue: "Continue",
    forgot: "Forgot your password or lost your authenticator? Ask an admin for a new one-time link.",
    rejected:
      "The email or password is not correct. After 10 failed attempts an account is locked for 30 minutes; an admin can unlock it sooner.",
    throttled_one:
      "Too many failed sign-ins from your network. Wait {{count}} minute and try again, or ask an admin if you are locked out.",
    throttled_other:
      "Too many failed sign-ins from your network. Wait {{count}} minutes and try again, or ask an admin if you are locked out.",
  },
  totp: {
    title: "Enter your authenticator code",
    pageTitle: "Authenticator code",
    signingInAs:
      "Signing in as <strong>{{email}}</strong>. Open your authenticator app and type the 6-digit code for Firebreak.",
    verify: "Verify and sign in",
    useRecovery: "Lost your phone? Use a recovery code",
  },
  recovery: {
    title: "Use a recovery code",
    pageTitle: "Recovery code",
    signingInAs: "Signing in as <strong>{{email}}</strong>. Each of the ten codes you saved at enrollment works once.",
    label: "Recovery code",
    verify: "Verify and sign in",
    useTotp: "Use my authenticator app instead",
    signedIn_one:
      "Signed in with a recovery code; {{count}} left. If you lost your phone, ask an admin to reset your authenticator.",
    signedIn_other:
      "Signed in with a recovery code; {{count}} left. If you lost your phone, ask an admin to reset your authenticator.",
  },
  enroll: {
    title: "Set up your authenticator",
    pageTitle: "Set up your authenticator",
    description: "Every Firebreak account needs a second factor. Signing in as <strong>{{email}}</strong>.",
    scan: "Open an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …) and scan this code:",
    qrAlt: "QR code to scan with your authenticator app",
    cannotScan: "Can't scan it?",
    manualKey: "Add an account by hand with this key (time-based, 6 digits, every 30 seconds):",
    enterCode: "Enter the 6-digit code the app shows now.",
    confirm: "Confirm and finish",
  },
  code: { label: "Authenticator code" },
  stepUp: {
    needed: "{{what}} needs a fresh code from your authenticator app.",
    confirm: "Confirm it is you",
  },
  cancel: "Cancel and sign out",
  secondFactor: {
    blocked: "Too many wrong codes. The second step is blocked until {{until}}; ask an admin to unlock it sooner.",
    replayed: "This code has already been used. Wait for the next code in your authenticator app (up to 30 seconds).",
    wrongTotp: "That code is not correct. Check that your phone's clock is right and enter the current code.",
    wrongRecovery: "That recovery code is not correct or has already been used.",
  },
  validation: {
    emailRequired: "Enter your work email.",
    notEmail: "That is not an email address.",
    passwordRequired: "Enter your password.",
    passwordTooLong: "That password is too long.",
    codeRequired: "Enter the 6-digit code from your authenticator app.",
    codeDigits: "The code is 6 digits.",
    recoveryRequired: "Enter one of your recovery codes.",
    notRecoveryCode: "That is not a recovery code.",
    recoveryShape: "A recovery code looks like abcd-efgh-ijkl-mnop.",
  },
  recoveryCodes: {
    pageTitle: "Your recovery codes",
    goneTitle: "Recovery codes",
    gone: "Recovery codes are shown only once, right after you set up your authenticator. If you did not save them, ask an admin to reset your authenticator and enrol again.",
    continue: "Continue to the console",
    fileHeading: "Firebreak recovery codes (each works once)",
    title: "Save your recovery codes",
    description:
      "If you lose your phone, each of these codes signs you in once. They are shown only now: keep them in your password manager or print them.",
    download: "Download as a text file",
    saved: "I have saved them — continue to the console",
  },
  invite: {
    pageTitle: "Set your password",
    unusableTitle: "This link does not work",
    unusable: "The link has expired or was already used. Ask an admin to send you a new one.",
    welcome: "Welcome, {{name}}",
    description:
      "Set a password for <strong>{{email}}</strong> ({{role}}). This link works once, until {{until}}. Next you will set up an authenticator app.",
    newPassword: "New password",
    passwordHint: "At least {{min}} characters. A passphrase of several words is easiest.",
    repeat: "Repeat the password",
    submit: "Set password and continue",
  },
  resetPassword: {
    pageTitle: "Set a new password",
    doneTitle: "Your password has been changed",
    done: "Sign in to the wallet app with member number <strong>{{displayId}}</strong> and your new password. For your security, every device was signed out. If the app asks you to set up an authenticator, follow its steps: your account cannot be used without it.",
    unusableTitle: "This link cannot be used",
    title: "Set a new password",
    description: "For member number <strong>{{displayId}}</strong>. This link works once, until {{until}}.",
    newPassword: "New password",
    passwordHint: "At least 12 characters. A phrase of several words is easiest.",
    repeat: "Repeat the new password",
    submit: "Set the new password",
  },
};
