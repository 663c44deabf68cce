// English strings for the killswitch pages (the reference: keys are typed from this file).
export default {};
