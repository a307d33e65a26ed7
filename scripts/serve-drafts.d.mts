export declare const DRAFTS: string;
export interface DraftServer {
  origin: string;
  /** Serve `html` at `path`. */
  route(path: string, html: string): void;
  close(): Promise<void>;
}
export declare function serveDrafts(options?: { port?: number; host?: string; root?: string }): Promise<DraftServer>;
