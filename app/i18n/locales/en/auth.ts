// English strings for the auth pages (the reference: keys are typed from this file).
export default {};
