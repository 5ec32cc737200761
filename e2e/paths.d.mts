export declare const root: string;
export declare const SCREENSHOT_DIR: string;
export declare function distBuilt(): boolean;
