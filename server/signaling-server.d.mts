export declare const DEFAULTS: {
  host: string;
  port: number;
  maxMessageBytes: number;
  maxTopicsPerConnection: number;
  pingIntervalMs: number;
  maxBufferedBytes: number;
  maxConnectionsPerAddress: number;
  maxTopicsPerAddress: number;
  messagesPerSecond: number;
  messagesBurst: number;
  logLinesPerSecond: number;
  trustProxy: boolean;
  redis: string;
};
export interface SignalingServer {
  url: string;
  port: number;
  /** Open connections and rooms, now. */
  stats(): { connections: number; topics: number };
  close(): Promise<void>;
}
export declare function startSignalingServer(
  options?: Partial<typeof DEFAULTS> & {
    quiet?: boolean;
    logSink?: (line: string) => void;
    /** Answers an HTTP request before the server's own routes; returns true when it did. */
    onRequest?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean;
  },
): Promise<SignalingServer>;
