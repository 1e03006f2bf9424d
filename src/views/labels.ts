/** The words people see for domain values that several views show. */
import type { GuestPermission } from '../megameeting/types.js';

/** A verified guest's permissions, in the scheduling form and in the guest manager alike. */
export const PERMISSION_LABELS: Record<GuestPermission, string> = {
  webcam: 'Camera',
  microphone: 'Microphone',
  screenSharing: 'Screen sharing',
  chat: 'Chat',
  fileUpload: 'File upload',
  fileDownload: 'File download',
  webVideoPlayer: 'Web video player',
  moderator: 'Moderator (co-host)',
};
