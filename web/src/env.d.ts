declare module 'virtual:qc-strings/*' {
  const strings: Record<string, string>;
  export default strings;
}
declare module 'qrcode' {
  export function toString(text: string, opts: { type: 'svg'; margin?: number; errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'; color?: { dark?: string; light?: string } }): Promise<string>;
}
