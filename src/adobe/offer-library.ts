// The Offer Library client: look up and delete personalized offers. (Interface; implementation below.)
export interface Offer {
  id: string;
  name: string;
  status: string;
  modified?: string | undefined;
  etag?: number | string | undefined;
  lastModifiedBy?: string | undefined;
  [field: string]: unknown;
}

export type LookupResult =
  | { found: true; offer: Offer; /** the body exactly as received */ json: string; requestId: string | null }
  | { found: false; requestId: string | null };

export interface DeleteResult {
  /** True when Adobe answered 404: the offer was already gone (someone else deleted it). */
  alreadyGone: boolean;
  status: number;
  requestId: string | null;
}

export interface OfferLibrary {
  /** GET /offers/{id}?offer-type=personalized. 404 → found: false; any other failure throws AdobeError. */
  getOffer(offerId: string): Promise<LookupResult>;
  /** DELETE /offers/{id}?offer-type=personalized. 2xx or 404 resolves; any other failure throws AdobeError. */
  deleteOffer(offerId: string): Promise<DeleteResult>;
}
