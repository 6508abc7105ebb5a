import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { randomHex } from "../auth/secrets";
import { CEREMONY_TTL_MS, type Role } from "./config";
import type { LinkRow } from "./links";

/**
 * Passkey ceremonies with SimpleWebAuthn. The relying party is the console's own origin: rpID = its host name,
 * expected origin = its origin, so a passkey made for one deployment never signs in to another. User verification
 * is required (the passkey is the only factor). Challenges are single-use rows that expire after 5 minutes.
 */

export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

export const relyingParty = (url: string): RelyingParty => {
  const u = new URL(url);
  return { id: u.hostname, origin: u.origin, name: "Open Wearables console" };
};

export type CeremonyError = "link_invalid" | "ceremony_invalid" | "verification_failed" | "unknown_passkey";

export async function startRegistration(db: D1Database, rp: RelyingParty, link: LinkRow, displayName: string, now = Date.now()) {
  const userId = crypto.getRandomValues(new Uint8Array(16));
  const options = await generateRegistrationOptions({
    rpName: rp.name, rpID: rp.id, userName: displayName, userDisplayName: displayName, userID: userId,
    attestationType: "none",
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  const ceremonyId = `cer_${randomHex(16)}`;
  await db.prepare(
    `INSERT INTO console_ceremonies (id, purpose, challenge, link_id, display_name, webauthn_user_id, expires_at)
     VALUES (?, 'register', ?, ?, ?, ?, ?)`,
  ).bind(ceremonyId, options.challenge, link.id, displayName, isoBase64URL.fromBuffer(userId), now + CEREMONY_TTL_MS).run();
  return { ceremony_id: ceremonyId, options };
}

interface CeremonyRow {
  purpose: "register" | "login";
  challenge: string;
  link_id: string | null;
  display_name: string | null;
  webauthn_user_id: string | null;
}

/** Takes a ceremony out of storage (single use); null when unknown, expired or of another purpose. */
async function takeCeremony(db: D1Database, id: string, purpose: CeremonyRow["purpose"], now: number) {
  return db.prepare(`DELETE FROM console_ceremonies WHERE id = ? AND purpose = ? AND expires_at > ? RETURNING *`)
    .bind(id, purpose, now).first<CeremonyRow>();
}

export type RegistrationResult = { ok: true; memberId: string; orgId: string; role: Role } | { ok: false; error: CeremonyError };

/**
 * Verifies the new passkey, then in one D1 batch uses up the link (only if still usable), creates the member and
 * stores the passkey. A link raced by two browsers creates exactly one member.
 */
export async function finishRegistration(
  db: D1Database, rp: RelyingParty, ceremonyId: string, response: RegistrationResponseJSON, now = Date.now(),
): Promise<RegistrationResult> {
  const ceremony = await takeCeremony(db, ceremonyId, "register", now);
  if (!ceremony) return { ok: false, error: "ceremony_invalid" };
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response, expectedChallenge: ceremony.challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true,
    });
  } catch {
    return { ok: false, error: "verification_failed" };
  }
  if (!verification.verified) return { ok: false, error: "verification_failed" };
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  const memberId = `mem_${randomHex(12)}`;
  const [use] = await db.batch([
    db.prepare(`UPDATE console_links SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?`)
      .bind(now, memberId, ceremony.link_id, now),
    db.prepare(
      `INSERT INTO console_members (id, organization_id, display_name, role, webauthn_user_id, created_at)
       SELECT ?, organization_id, ?, role, ?, ? FROM console_links WHERE id = ? AND used_by = ?`,
    ).bind(memberId, ceremony.display_name, ceremony.webauthn_user_id, now, ceremony.link_id, memberId),
    db.prepare(
      `INSERT INTO console_passkeys (id, member_id, public_key, counter, transports, device_type, backed_up, created_at)
       SELECT ?, id, ?, ?, ?, ?, ?, ? FROM console_members WHERE id = ?`,
    ).bind(credential.id, isoBase64URL.fromBuffer(credential.publicKey), credential.counter, JSON.stringify(credential.transports ?? []),
      credentialDeviceType, credentialBackedUp ? 1 : 0, now, memberId),
  ]);
  if (!use!.meta.changes) return { ok: false, error: "link_invalid" };
  const member = await db.prepare(`SELECT organization_id, role FROM console_members WHERE id = ?`).bind(memberId).first<{ organization_id: string; role: Role }>();
  return { ok: true, memberId, orgId: member!.organization_id, role: member!.role };
}

/** Sign-in offers no credential list: the browser offers the console's discoverable passkeys. */
export async function startLogin(db: D1Database, rp: RelyingParty, now = Date.now()) {
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: "required" });
  const ceremonyId = `cer_${randomHex(16)}`;
  await db.prepare(`INSERT INTO console_ceremonies (id, purpose, challenge, expires_at) VALUES (?, 'login', ?, ?)`)
    .bind(ceremonyId, options.challenge, now + CEREMONY_TTL_MS).run();
  return { ceremony_id: ceremonyId, options };
}

export type LoginResult = { ok: true; memberId: string; orgId: string } | { ok: false; error: CeremonyError };

export async function finishLogin(
  db: D1Database, rp: RelyingParty, ceremonyId: string, response: AuthenticationResponseJSON, now = Date.now(),
): Promise<LoginResult> {
  const ceremony = await takeCeremony(db, ceremonyId, "login", now);
  if (!ceremony) return { ok: false, error: "ceremony_invalid" };
  const key = await db.prepare(
    `SELECT p.id, p.public_key, p.counter, p.transports, m.id AS member_id, m.organization_id
       FROM console_passkeys p JOIN console_members m ON m.id = p.member_id
      WHERE p.id = ? AND m.removed_at IS NULL`,
  ).bind(response.id).first<{ id: string; public_key: string; counter: number; transports: string | null; member_id: string; organization_id: string }>();
  if (!key) return { ok: false, error: "unknown_passkey" };
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response, expectedChallenge: ceremony.challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true,
      credential: { id: key.id, publicKey: isoBase64URL.toBuffer(key.public_key), counter: key.counter, transports: JSON.parse(key.transports ?? "[]") },
    });
  } catch {
    return { ok: false, error: "verification_failed" };
  }
  if (!verification.verified) return { ok: false, error: "verification_failed" };
  await db.prepare(`UPDATE console_passkeys SET counter = ?, last_used_at = ? WHERE id = ?`)
    .bind(verification.authenticationInfo.newCounter, now, key.id).run();
  return { ok: true, memberId: key.member_id, orgId: key.organization_id };
}
