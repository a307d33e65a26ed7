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
};
export interface SignalingServer {
  url: string;
  port: number;
  close(): Promise<void>;
}
export declare function startSignalingServer(options?: Partial<typeof DEFAULTS> & { quiet?: boolean; logSink?: (line: string) => void }): Promise<SignalingServer>;
