// English strings for the audit pages (the reference: keys are typed from this file).
export default {};
