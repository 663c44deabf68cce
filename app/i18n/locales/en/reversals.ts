// English strings for the reversals pages (the reference: keys are typed from this file).
export default {};
