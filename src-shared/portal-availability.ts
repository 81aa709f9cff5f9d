/**
 * Why a portal file cannot be downloaded, from its status, in words; undefined when it can. The portal lists
 * restricted and not-yet-uploaded files in search, but @@download refuses them.
 */
export function unavailableReason(status: string | undefined): string | undefined {
  switch (status) {
    case 'restricted':
      return 'Restricted: the portal does not let this file be downloaded.';
    case 'uploading':
    case 'upload failed':
    case 'to be uploaded by workflow':
      return 'Not uploaded yet: nothing to download.';
    case 'deleted':
    case 'obsolete':
      return 'Withdrawn from the portal.';
    default:
      return undefined;
  }
}
