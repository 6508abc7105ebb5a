/** What travels through the webhook queue: one message per (event, endpoint), body pre-serialized. */
export interface DeliveryMessage {
  v: 1;
  endpointId: string;
  eventId: string;
  eventType: string;
  userId: string | null;
  /** The exact JSON envelope to sign and send; absent when it was too big and is stored in `webhook_payloads`. */
  body?: string;
  /** Set when the body lives in D1 (key = eventId). */
  bodyInD1?: true;
  createdAt: number;
}

export const isDeliveryMessage = (m: unknown): m is DeliveryMessage =>
  typeof m === "object" && m !== null && (m as DeliveryMessage).v === 1
  && typeof (m as DeliveryMessage).endpointId === "string" && typeof (m as DeliveryMessage).eventId === "string";
