/**
 * A twilio-node RequestClient that sends api.twilio.com traffic to another base URL
 * (twilio-node has no base-URL option): TWILIO_API_URL, a proxy or the test stand-in.
 *
 *   const client = twilio(accountSid, authToken, {
 *     httpClient: new TwilioBaseUrlRequestClient(process.env.TWILIO_API_URL!),
 *   });
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

export class TwilioBaseUrlRequestClient extends twilio.RequestClient {
  private readonly base: string;

  /** `baseUrl` e.g. `http://127.0.0.1:4010` (a path prefix is kept; trailing slash ignored). */
  constructor(baseUrl: string, opts?: RequestClient.RequestClientOptions) {
    super(opts);
    this.base = baseUrl.replace(/\/+$/, '');
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    // BaseTwilio has already applied edge/region (api.<edge>.<region>.twilio.com); match those too.
    const uri = opts.uri.replace(/^https:\/\/api(?:\.[a-z0-9-]+)*\.twilio\.com(?::443)?(?=\/|$)/i, this.base);
    return super.request<TData>({ ...opts, uri });
  }
}
