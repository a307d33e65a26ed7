export declare const DEFAULTS: { host: string; port: number; maxMessageBytes: number; maxTopicsPerConnection: number; pingIntervalMs: number };
export interface SignalingServer {
  url: string;
  port: number;
  close(): Promise<void>;
}
export declare function startSignalingServer(options?: Partial<typeof DEFAULTS> & { quiet?: boolean }): Promise<SignalingServer>;
