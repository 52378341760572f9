/** English: the reference catalogue. Plain words first; technical words only in the appendix. */
export const en: Record<string, string> = {
  'level.high': 'High',
  'level.moderate': 'Moderate',
  'level.low': 'Low',
  'level.none': 'None',

  // ---------------------------------------------------------------- verdict
  'verdict.high.headline': 'Spyware is very likely on this phone',
  'verdict.moderate.headline': 'Something suspicious was found',
  'verdict.low.headline': 'Nothing alarming was found',
  'verdict.none.headline': 'No sign of stalkerware was found',
  'verdict.high.meaning':
    'The phone talked to servers that are known to be used by stalkerware or spyware. Most likely someone installed an app that secretly collects what happens on this phone and sends it to them. This is not your fault, and you are not alone: support services see this often and can help.',
  'verdict.moderate.meaning':
    'The check found signs that can be harmless but are also typical of spyware. They are worth a closer look by someone who knows phones and digital safety, for example a specialist at a support service.',
  'verdict.low.meaning':
    'The check only found small things that ordinary apps also do. On their own they are no reason to worry.',
  'verdict.none.meaning':
    'While it was being checked, the phone did not talk to any known stalkerware server and nothing looked suspicious. This is good news, but it is not a guarantee: please read what this check could not see.',
  'verdict.summary.high.family.one': 'This phone contacted {count} server used by {family}.',
  'verdict.summary.high.family.other': 'This phone contacted {count} servers used by {family}.',
  'verdict.summary.high.nofamily.one': 'Strong signs of spyware were found for {count} server.',
  'verdict.summary.high.nofamily.other': 'Strong signs of spyware were found for {count} servers.',
  'verdict.summary.linked':
    'This phone contacted a website or server linked to {family}. Someone may have looked at this spyware, or installed it.',
  'verdict.summary.moderate.one': '{count} suspicious sign was found.',
  'verdict.summary.moderate.other': '{count} suspicious signs were found.',
  'verdict.summary.low.one': '{count} minor sign was found, of a kind that ordinary apps also show.',
  'verdict.summary.low.other': '{count} minor signs were found, of a kind that ordinary apps also show.',
  'verdict.summary.none': 'Nothing linked to stalkerware was found in this recording.',

  // ---------------------------------------------------------------- limits
  'limit.capture': 'The recording of the phone’s traffic lasted {duration} and holds {packets} packets ({size}).',
  'limit.short':
    'That is short or quiet. Spyware may send its data only every few hours, or only when the phone is in use or charging, so a short recording can miss it. If you can, record again for at least {minutes} minutes while the phone is used as usual.',
  'limit.damaged': 'The recording file is damaged or cut short: only the part before the damage was checked.',
  'limit.noFeeds':
    'No list of known stalkerware servers was loaded, so known stalkerware could not be recognised: only suspicious behaviour was looked for. Load the lists (quietcheck indicators update) and check again.',
  'limit.feeds.one': 'The check used {count} list of known stalkerware servers and signs ({indicators} entries), updated {date}.',
  'limit.feeds.other': 'The check used {count} lists of known stalkerware servers and signs ({indicators} entries), updated between {oldest} and {date}.',
  'limit.feedsOld':
    'The oldest list is {days} days old. New stalkerware servers appear all the time: update the lists and check again.',
  'limit.feedFailed': 'The list {feed} could not be updated the last time it was tried; an older copy was used.',
  'limit.hidden.vpn.one':
    '{count} connection looked like a VPN or Tor tunnel. Whatever travels inside such a tunnel is hidden from this check.',
  'limit.hidden.vpn.other':
    '{count} connections looked like VPN or Tor tunnels. Whatever travels inside such tunnels is hidden from this check.',
  'limit.hidden.dns.one':
    '{count} connection carried encrypted name lookups (DNS over TLS or HTTPS). The names looked up through it could not be checked.',
  'limit.hidden.dns.other':
    '{count} connections carried encrypted name lookups (DNS over TLS or HTTPS). The names looked up through them could not be checked.',
  'limit.hidden.noname.one':
    '{count} encrypted connection did not reveal the name of the server; only its address could be checked.',
  'limit.hidden.noname.other':
    '{count} encrypted connections did not reveal the name of the server; only their addresses could be checked.',
  'limit.encrypted':
    'Most traffic is encrypted. The check sees which servers the phone talks to, not what it sends to them.',
  'limit.notProof':
    'Finding nothing is not proof that a phone is clean. Spyware that stayed quiet during the recording, that is too new to be on the lists, or that works through the phone’s online accounts (for example a known Google or Apple password) does not show up here.',

  // ---------------------------------------------------------------- what to do now
  'guidance.heading': 'What to do now',
  'guidance.intro': 'Your safety comes first. Take your time: nothing here has to be done today.',
  'guidance.noRush.title': 'Do not rush to remove anything',
  'guidance.noRush.text':
    'Deleting an app, resetting the phone or confronting the person can warn them that you know. That can make them more dangerous, and it also erases evidence. Decide when and how to deal with the phone together with a support service.',
  'guidance.plan.title': 'Make a safety plan with people who know this',
  'guidance.plan.text':
    'A domestic violence support service near you can help you plan for your safety: what to do about the phone, how to communicate safely, and what to do if things get worse. Their help is confidential.',
  'guidance.evidence.title': 'Keep this report as evidence',
  'guidance.evidence.text':
    'Keep this report where the other person cannot find it: not on the phone that was checked, and not in an account they may be able to open. It can help a support service, a lawyer or the police.',
  'guidance.device.title': 'Look for help from a safer device',
  'guidance.device.text':
    'If the phone may be watched, use a device the other person has never had access to (a friend’s phone, a computer at a library or at the support service) to search for help or to plan.',
  'guidance.trust.title': 'If you still feel watched, trust that feeling',
  'guidance.trust.text':
    'Someone can also follow you without spyware: through a password they know for your Google, Apple or social media accounts, location sharing, a shared family plan, a hidden tracker tag, or gifts such as a second phone. A support service can help you check these.',
  'guidance.help.title': 'Where to find help',
  'guidance.help.text':
    'If you are in danger right now, call your local emergency number (112 in Europe, 911 in North America). Domestic violence helplines are free and confidential, for example:',
  'guidance.help.numbers':
    'United Kingdom: National Domestic Abuse Helpline, 0808 2000 247\nUnited States: National Domestic Violence Hotline, 1-800-799-7233\nIreland: Women’s Aid, 1800 341 900\nElsewhere: ask the service that made this check with you for a local helpline',

  // ---------------------------------------------------------------- report body
  'report.title': 'Phone check report',
  'report.madeOn': 'Made on {date} with quietcheck {version}.',
  'report.file': 'Recording checked: {file}',
  'report.privateNote':
    'This report describes a phone that someone may be watching. Keep it where only you and people you trust can open it.',
  'report.result': 'Result: {level}',
  'report.meaning.heading': 'What this means',
  'report.limits.heading': 'What this check could and could not see',
  'report.findings.heading': 'What was found',
  'report.findings.intro': 'Each server the phone talked to is listed once, with everything found about it.',
  'report.findings.none': 'Nothing suspicious was found.',
  'report.findings.minor.one': '{count} server with minor signs only, of a kind ordinary apps also show',
  'report.findings.minor.other': '{count} servers with minor signs only, of a kind ordinary apps also show',
  'report.finding.family': 'Linked to: {family}',
  'report.finding.basedOn': 'Based on the entry “{value}” ({kind}) in the list {feed}, version {version}, updated {date}.',
  'report.finding.alsoAllowed':
    '{allowed} is on the list of well-known services ({feed}), but this exact name is itself listed as a spyware server.',
  'report.finding.evidence': 'What was seen',
  'report.capabilities.heading': 'What such spyware can see:',
  'capabilities.stalkerware':
    'Stalkerware such as {family} can usually read messages and chats, see photos, follow the phone’s location, see calls and contacts, and sometimes record calls or the surroundings. It sends all of this to the person who installed it.',
  'capabilities.watchware':
    '{family} is sold to watch children or to find a phone. Hidden on an adult’s phone, it lets someone follow where the phone is and often see messages and activity.',
  'capabilities.spyware':
    '{family} is advanced spyware. It can take control of the whole phone: messages, calls, camera, microphone, files and passwords.',
  'capabilities.generic':
    'Spyware can usually read messages, see photos, follow the phone’s location and see calls and contacts, and send all of this to someone else.',
  'report.allowed.heading': 'Known services that were left out',
  'report.allowed.intro':
    'These servers belong to well-known services on an allow-list, so they were not counted as suspicious.',
  'report.footer':
    'This report was made on this computer. Nothing from the recording was sent anywhere.',

  // ---------------------------------------------------------------- findings (src/detect rule ids)
  'finding.IOC-01.title': 'Connected to a known spyware server address',
  'finding.IOC-01.explanation':
    'The phone connected to {host} (port {port}), an address listed as a server of {family}. Spyware apps send what they collect to servers like this one.',
  'finding.IOC-02.title': 'Connected to a network used by spyware',
  'finding.IOC-02.explanation':
    'The phone connected to {host}, which lies inside a network range ({indicator}) listed as spyware or suspicious infrastructure.',
  'finding.IOC-03.title': 'Looked up the name of a known spyware server',
  'finding.IOC-03.explanation':
    'The phone asked for the address of {host}, a name listed as a server of {family}. Even when the server no longer answers, only an app that knows this name asks for it.',
  'finding.IOC-04.title': 'Contacted a tracker used by stalkerware',
  'finding.IOC-04.explanation': 'The phone contacted {host}, a name listed as a tracking service that stalkerware uses.',
  'finding.IOC-05.title': 'Contacted a free dynamic address',
  'finding.IOC-05.explanation':
    'The phone contacted {host}, a name from a free dynamic address service. Such services are cheap and easy to change, and are often used by spyware servers.',
  'finding.IOC-06.title': 'Contacted a name under a suspicious ending',
  'finding.IOC-06.explanation':
    'The phone contacted {host}, a name ending in .{tld}. This ending is often used by abusive services, but also by ordinary ones.',
  'finding.IOC-07.title': 'Server used a certificate known from spyware',
  'finding.IOC-07.explanation':
    'The server {host} identified itself with a digital certificate that is listed as belonging to {family}.',
  'finding.IOC-08.title': 'Unencrypted request to a known spyware server',
  'finding.IOC-08.explanation':
    'The phone sent unencrypted web requests to {host}, a name listed as a server of {family}.',
  'finding.IOC-09.title': 'Unencrypted request to a free dynamic address',
  'finding.IOC-09.explanation':
    'The phone sent unencrypted web requests to {host}, a name from a free dynamic address service often used by spyware servers.',
  'finding.IOC-10.title': 'Unencrypted request to a name under a suspicious ending',
  'finding.IOC-10.explanation': 'The phone sent unencrypted web requests to {host}, a name ending in .{tld}, which abusive services often use.',
  'finding.IOC-11.title': 'Contacted the Tor network',
  'finding.IOC-11.explanation':
    'The phone contacted {host}, a relay of the Tor anonymity network. Tor protects privacy, but it also hides whatever an app sends through it.',
  'finding.IOC-12.title': 'Contacted a service that spyware also uses',
  'finding.IOC-12.explanation':
    'The phone contacted {host}. This is a legitimate service, but some spyware uses it too, so on its own it means little.',
  'finding.IOC-13.title': 'Used an encrypted name lookup service',
  'finding.IOC-13.explanation':
    'The phone contacted {host}, a service that looks up names in encrypted form. Many phones and browsers do this; it means some name lookups were hidden from this check.',
  'finding.SSL-04.title': 'Server certificate names a spyware server',
  'finding.SSL-04.explanation':
    'The server {host} presented a certificate made out to {certName}, a name listed as a server of {family}.',
  'finding.IOC-SNI.title': 'Encrypted connection to a known spyware server',
  'finding.IOC-SNI.explanation':
    'The phone opened an encrypted connection to {host}, a name listed as a server of {family}. The content is hidden, but the name is not.',
  'finding.IOC-QUIC-SNI.title': 'Encrypted connection to a known spyware server',
  'finding.IOC-QUIC-SNI.explanation':
    'The phone opened an encrypted (QUIC) connection to {host}, a name listed as a server of {family}. The content is hidden, but the name is not.',
  'finding.IOC-CNAME.title': 'A name led to a known spyware server',
  'finding.IOC-CNAME.explanation':
    'The phone looked up {host}, which turned out to point to {cname}, a name listed as a server of {family}.',
  'finding.IOC-JA3.title': 'Encrypted connection with a fingerprint seen in spyware',
  'finding.IOC-JA3.explanation':
    'The way an encrypted connection to {host} was set up matches a fingerprint listed for {family}. Many ordinary apps share such fingerprints, so this is a hint, not proof.',
  'finding.IOC-JA4.title': 'Encrypted connection with a fingerprint seen in spyware',
  'finding.IOC-JA4.explanation':
    'The way an encrypted connection to {host} was set up matches a fingerprint listed for {family}. Many ordinary apps share such fingerprints, so this is a hint, not proof.',
  'finding.IOC-WEBSITE.title': 'Visited the website of a stalkerware seller',
  'finding.IOC-WEBSITE.explanation':
    'The phone visited {host}, the website where {family} is sold or downloaded. This does not prove the app is installed, but someone may have bought or installed it from this phone.',
  'finding.IOC-URL.title': 'Unencrypted request to a known spyware address',
  'finding.IOC-URL.explanation': 'The phone requested {url}, a web address listed as used by {family}.',
  'finding.IOC-NS.title': 'Name served by a suspicious name server',
  'finding.IOC-NS.explanation':
    'The phone looked up {host}, whose addresses are managed by {nameserver}, a name server listed as suspicious.',
  'finding.IOC-PAYLOAD.title': 'Data sent in a way known from spyware',
  'finding.IOC-PAYLOAD.explanation':
    'The phone exchanged data with {host} (port {port}) that matches how {family} is known to report what it collects.',
  'finding.PROTO-01.title': 'Unusual kind of traffic',
  'finding.PROTO-01.explanation':
    'The phone exchanged {proto} traffic with {host} on port {port}, which no common phone service uses. Some spyware uses unusual channels like this.',
  'finding.PROTO-02.title': 'Connection on an unusual port',
  'finding.PROTO-02.explanation':
    'The phone connected to {host} on port {port}, which common apps rarely use. It can be harmless, but cheap spyware servers often listen on such ports.',
  'finding.PROTO-03.title': 'Unencrypted web traffic',
  'finding.PROTO-03.explanation':
    'The phone sent web requests to {host} without encryption. Anyone on the same network could read them. Many old apps still do this.',
  'finding.PROTO-04.title': 'Unencrypted web traffic on an unusual port',
  'finding.PROTO-04.explanation':
    'The phone sent unencrypted web requests to {host} on port {port}. Ordinary websites rarely do this; some spyware does.',
  'finding.PROTO-05.title': 'Server contacted without looking up its name',
  'finding.PROTO-05.explanation':
    'The phone contacted {host} without looking up a name for it during the recording. The address may be built into an app, or it was looked up before the recording started.',
  'finding.SSL-01.title': 'Encrypted connection on an unusual port',
  'finding.SSL-01.explanation':
    'The phone opened an encrypted connection to {host} on port {port}. Ordinary websites use port 443; spyware servers sometimes use other ports.',
  'finding.SSL-02.title': 'Certificate from a free provider',
  'finding.SSL-02.explanation':
    'The server {host} uses a free certificate from {issuer}. Very many normal websites do this; it is noted only because spyware servers do it too.',
  'finding.SSL-03.title': 'Self-made certificate',
  'finding.SSL-03.explanation':
    'The server {host} identified itself with a certificate it made for itself ({subject}), which nobody vouches for. Normal services rarely do this.',
  'finding.SSL-EXPIRED.title': 'Expired certificate',
  'finding.SSL-EXPIRED.explanation':
    'The server {host} used a certificate that had already expired ({notAfter}). Well-run services renew their certificates; neglected or improvised servers often do not.',
  'finding.SSL-NOT-YET-VALID.title': 'Certificate not yet valid',
  'finding.SSL-NOT-YET-VALID.explanation':
    'The server {host} used a certificate that was only valid from {notBefore}. This happens with improvised servers, or when a clock is wrong.',
  'finding.SSL-NAME-MISMATCH.title': 'Certificate does not match the name',
  'finding.SSL-NAME-MISMATCH.explanation':
    'The phone asked for {host}, but the server’s certificate is made out to other names ({certNames}). Normal apps refuse such a connection; some spyware does not check.',
  'finding.BEH-BEACON.title': 'Regular contact with the same server',
  'finding.BEH-BEACON.explanation':
    'The phone contacted {host} {count} times, about every {period}, very regularly. Spyware often reports in on a fixed schedule, but so do some ordinary apps.',
  'finding.BEH-UPLOAD.title': 'Much more data sent than received',
  'finding.BEH-UPLOAD.explanation':
    'The phone sent {bytesUp} to {host} and received only {bytesDown}. Sending a lot of data is what spyware does with photos or recordings, but backups and uploads look the same.',
  'finding.BEH-DOT.title': 'Encrypted name lookups',
  'finding.BEH-DOT.explanation':
    'The phone looked up names through an encrypted service at {host}. This protects privacy, but it also hides those lookups from this check.',
  'finding.BEH-DOH.title': 'Encrypted name lookups',
  'finding.BEH-DOH.explanation':
    'The phone used {resolver} to look up names in encrypted form. This protects privacy, but it also hides those lookups from this check.',
  'finding.BEH-DEVICE-NAME.title': 'The phone’s name was sent unencrypted',
  'finding.BEH-DEVICE-NAME.explanation':
    'The phone’s own name ({deviceName}) was sent without encryption to {host}. Some tracking apps report which device they are on this way.',
  'finding.BEH-HOTSPOT-NAME.title': 'The Wi-Fi name was sent unencrypted',
  'finding.BEH-HOTSPOT-NAME.explanation':
    'The name of the Wi-Fi network the phone used ({hotspotName}) was sent without encryption to {host}. An app may be reporting where the phone is.',
  'finding.BEH-VPN.title': 'VPN tunnel',
  'finding.BEH-VPN.explanation':
    'The phone used a {protocol} VPN tunnel to {host}. What travels inside the tunnel cannot be checked. If you did not set up a VPN yourself, mention it to a specialist.',
  'finding.BEH-TOR.title': 'Connection that looks like Tor',
  'finding.BEH-TOR.explanation':
    'A connection to {host} looks like the Tor anonymity network. Everything sent through it is hidden from this check.',
  'finding.ADV-01.title': 'Several signs point to this server',
  'finding.ADV-01.explanation':
    '{count} different signs were found for {host} ({rules}). Taken together they say more than each one alone.',
  'finding.familyUnknown': 'spyware',
  'finding.unknown.title': 'Finding {id}',
  'finding.unknown.explanation': 'The detection rule {id} flagged this server.',

  // ---------------------------------------------------------------- technical appendix
  'appendix.heading': 'Technical details (for specialists)',
  'appendix.capture.heading': 'The recording',
  'appendix.sha256': 'SHA-256 of the file',
  'appendix.fileName': 'File',
  'appendix.format': 'Format',
  'appendix.duration': 'Duration',
  'appendix.packets': 'Packets',
  'appendix.bytes': 'Size of the traffic',
  'appendix.firstSeen': 'First packet',
  'appendix.lastSeen': 'Last packet',
  'appendix.timeline.heading': 'Traffic over time',
  'appendix.timeline.caption': 'Bytes per {bucket}. Red marks show when something was found.',
  'appendix.timeline.empty': 'No traffic to draw.',
  'appendix.connections.heading': 'Connections',
  'appendix.more': '{count} more rows are not shown.',
  'appendix.dns.heading': 'Names looked up (DNS)',
  'appendix.tls.heading': 'Encrypted connections and certificates (TLS, QUIC)',
  'appendix.http.heading': 'Unencrypted web requests (HTTP)',
  'appendix.feeds.heading': 'Indicator lists used',
  'appendix.feeds.none': 'No indicator list was loaded.',
  'appendix.allowed.heading': 'Allowed hosts',
  'appendix.none': 'None.',
  'appendix.noAnswer': 'no answer',
  'col.proto': 'Protocol',
  'col.client': 'From',
  'col.server': 'To',
  'col.port': 'Port',
  'col.names': 'Names',
  'col.service': 'Service',
  'col.packets': 'Packets',
  'col.sent': 'Sent',
  'col.received': 'Received',
  'col.first': 'First seen',
  'col.duration': 'Duration',
  'col.time': 'Time',
  'col.name': 'Name',
  'col.type': 'Type',
  'col.answers': 'Answers',
  'col.sni': 'Server name',
  'col.certificate': 'Certificate',
  'col.issuer': 'Issuer',
  'col.validity': 'Valid',
  'col.method': 'Request',
  'col.host': 'Host',
  'col.feed': 'List',
  'col.version': 'Version',
  'col.date': 'Updated',
  'col.entries': 'Entries',
  'col.role': 'Role',
  'col.allowedBy': 'Allowed by',
  'col.silenced': 'Not reported',
  'feed.role.block': 'indicators',
  'feed.role.allow': 'allow-list',
  'cert.selfSigned': 'self-signed',

  // ---------------------------------------------------------------- units and dates
  'date.utc': '{date} UTC',
  'date.unknown': 'on an unknown date',
  'duration.seconds': '{s} s',
  'duration.minutes': '{m} min {s} s',
  'duration.hours': '{h} h {m} min',
  'size.B': '{n} bytes',
  'size.KB': '{n} KB',
  'size.MB': '{n} MB',
  'size.GB': '{n} GB',
  'bucket.seconds': '{n} seconds',
  'bucket.minutes': '{n} minutes',
  'bucket.hours': '{n} hours',

  // ---------------------------------------------------------------- quietcheck analyze (terminal)
  'cli.reading': 'Reading {file}…',
  'cli.loadingFiles': 'Loading {count} indicator files…',
  'cli.loadingStore': 'Loading the indicator lists from {dir}…',
  'cli.noFeeds': 'No indicator lists found: only suspicious behaviour will be looked for. Run “quietcheck indicators update” first.',
  'cli.rendering': 'Writing the {format} report…',
  'cli.written': 'Report written to {file}',
  'cli.verdict': 'Result: {level}. {summary}',
  'cli.pdfMissing':
    'Cannot make a PDF: Chromium was not found at {path}. Install it (Debian/Ubuntu: sudo apt install chromium) or use --format html and print the page from a browser.',
  'cli.pdfFailed': 'Chromium could not print the PDF: {reason}',
  'cli.error.noFile': '{file}: no such file',
  'cli.error.denied': '{file}: permission denied',
  'cli.error.isDir': '{file}: is a folder, not a file',
  'cli.pdfToTerminal': 'A PDF cannot be shown in the terminal: give a file with -o report.pdf.',
};
