import { validateRequest } from 'twilio';

/** Checks X-Twilio-Signature against the public URL Twilio called (PUBLIC_BASE_URL + path) and the form parameters. */
export function validTwilioSignature(authToken: string, signature: string | undefined, url: string, params: Record<string, unknown>): boolean {
  if (!signature) return false;
  return validateRequest(authToken, signature, url, params as Record<string, string>);
}
