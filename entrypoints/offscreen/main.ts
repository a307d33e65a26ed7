// The hub on Chrome: an offscreen document owns IndexedDB and (later) the WebRTC rooms.
import { startHub } from '../../lib/extension/start-hub';

void startHub();
