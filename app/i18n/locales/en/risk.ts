// English strings for the risk pages (the reference: keys are typed from this file).
export default {};
