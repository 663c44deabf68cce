// English strings for the accounts pages (the reference: keys are typed from this file).
export default {};
