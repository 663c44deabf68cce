import { createContext, useContext } from "react";

export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);

// The request ID of the document being rendered, for the error page (the root loader may not have run).
export const RequestIdContext = createContext<string | null>(null);
export const useRequestId = () => useContext(RequestIdContext);
