// A page that reads its data again by itself while work runs (a job, a notice campaign, a backtest) marks those
// requests with this header, and the guard then checks the session without counting the request as the member being
// active: an unattended page must not hold off the idle timeout. The header can only make a session *less* alive, so
// a client that sends it (or leaves it out) gains nothing.
export const AUTOMATIC_REFRESH_HEADER = "X-Firebreak-Refresh";
export const AUTOMATIC_REFRESH_VALUE = "automatic";

export function isAutomaticRefresh(request: Request): boolean {
  return request.headers.get(AUTOMATIC_REFRESH_HEADER) === AUTOMATIC_REFRESH_VALUE;
}
