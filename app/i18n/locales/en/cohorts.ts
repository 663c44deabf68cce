// English strings for the cohorts pages (the reference: keys are typed from this file).
export default {};
