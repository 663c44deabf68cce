// The hostile-input sweep over part 3 of the routes (tests/integration/hostile-input-http.test.ts says what it proves;
// the passes are tests/support/hostile-input-routes.ts).
import { describeHostileInputOnRoutes } from "../support/hostile-input-routes";

describeHostileInputOnRoutes(3);
