export declare const IIFE_BUDGET_BYTES: number;
export declare const ALL_BUDGET_BYTES: number;
export declare const CHAT_BUDGET_BYTES: number;
export declare const CHAT_FILES: string[];
export declare const BUNDLES: string[];
export declare function scriptTagFiles(): string[];
export declare function closure(file: string): string[];
export declare function sizes(file: string): { min: number; gzip: number; brotli: number };
export declare function kb(bytes: number): string;
