/** The envelope's `provider` field: which health store the data came from. */
export type PayloadProvider = "apple" | "google" | "samsung";
