export declare const CONSOLE_DIR: string;
export declare function buildConsole(): Promise<void>;
