// English strings for the incidents pages (the reference: keys are typed from this file).
export default {};
