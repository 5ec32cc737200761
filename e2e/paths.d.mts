export declare const root: string;
export declare const SCREENSHOT_DIR: string;
export declare const PHONE_SCREENSHOT_DIR: string;
export declare const FILES_SCREENSHOT_DIR: string;
export declare function distBuilt(): boolean;
