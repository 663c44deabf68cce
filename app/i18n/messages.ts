// The shape a translation must have: the English file's keys, every value a string. i18next plurals: English has
// `_one` and `_other`, Japanese has no singular form, so a Japanese file carries `_other` only (and may not carry
// `_one`: an excess key fails typecheck).
export type Messages<T> = {
  [K in keyof T as K extends `${string}_one` ? never : K]: T[K] extends string ? string : Messages<T[K]>;
};
