const nf = new Intl.NumberFormat("en-US");
export const num = (n: number) => nf.format(n);

export function ago(iso: string | null): string {
  if (!iso) return "never";
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export const dateTime = (iso: string) => new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC";

export const userLabel = (u: { email: string | null; first_name: string | null; last_name: string | null; external_id: string | null; id: string }) =>
  u.email ?? ([u.first_name, u.last_name].filter(Boolean).join(" ") || u.external_id || u.id);

export const minutes = (m: number) => (m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`);
