// English strings for the admin pages (the reference: keys are typed from this file).
export default {};
