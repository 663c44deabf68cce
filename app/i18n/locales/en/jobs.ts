// English strings for the jobs pages (the reference: keys are typed from this file).
export default {};
