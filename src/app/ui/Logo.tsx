/** Folio's mark: a folded page with a highlighted line. Decorative; the name is always beside it. */
export function Logo({ size = 24 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="3" y="3" width="26" height="26" rx="7" className="logo-bg" />
      <path
        d="M11 9h7l4 4v10a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 10 23V10.5A1.5 1.5 0 0 1 11.5 9Z"
        className="logo-page"
      />
      <path d="M18 9v4h4" className="logo-fold" />
      <rect x="12.5" y="16" width="7" height="2.2" rx="1.1" className="logo-mark" />
      <rect x="12.5" y="19.6" width="5" height="1.6" rx="0.8" className="logo-line" />
    </svg>
  );
}
