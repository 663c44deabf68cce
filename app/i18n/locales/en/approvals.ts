// English strings for the approvals pages (the reference: keys are typed from this file).
export default {};
