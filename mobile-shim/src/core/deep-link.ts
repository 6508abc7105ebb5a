/** Connect links (the wire format lives in @ow/contract, shared with the Worker and the PWA). */
export { type ConnectLink, parseConnectLink } from "@ow/contract";
