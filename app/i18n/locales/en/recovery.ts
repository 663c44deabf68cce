// English strings for the recovery pages (the reference: keys are typed from this file).
export default {};
