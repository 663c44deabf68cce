// English strings for the notify pages (the reference: keys are typed from this file).
export default {};
