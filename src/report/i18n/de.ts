/** Deutsch. Sie-Form, einfache Sprache; Fachwörter stehen im Anhang. */
export const de: Record<string, string> = {
  'level.high': 'Hoch',
  'level.moderate': 'Mittel',
  'level.low': 'Niedrig',
  'level.none': 'Kein Befund',

  // ---------------------------------------------------------------- verdict
  'verdict.high.headline': 'Auf diesem Telefon ist sehr wahrscheinlich Spionage-Software',
  'verdict.moderate.headline': 'Es wurde etwas Verdächtiges gefunden',
  'verdict.low.headline': 'Es wurde nichts Beunruhigendes gefunden',
  'verdict.none.headline': 'Es wurde kein Hinweis auf Spionage-Software gefunden',
  'verdict.high.meaning':
    'Das Telefon hat mit Servern gesprochen, die bekanntermaßen von Stalkerware oder Spionage-Software genutzt werden. Am wahrscheinlichsten hat jemand eine App installiert, die heimlich sammelt, was auf diesem Telefon geschieht, und es an diese Person schickt. Das ist nicht Ihre Schuld, und Sie sind nicht allein: Beratungsstellen kennen das gut und können helfen.',
  'verdict.moderate.meaning':
    'Die Prüfung hat Anzeichen gefunden, die harmlos sein können, aber auch typisch für Spionage-Software sind. Jemand, der sich mit Telefonen und digitaler Sicherheit auskennt, sollte sie sich genauer ansehen, zum Beispiel eine Fachkraft einer Beratungsstelle.',
  'verdict.low.meaning':
    'Die Prüfung hat nur Kleinigkeiten gefunden, die auch gewöhnliche Apps tun. Für sich genommen sind sie kein Grund zur Sorge.',
  'verdict.none.meaning':
    'Während der Prüfung hat das Telefon mit keinem bekannten Stalkerware-Server gesprochen, und nichts sah verdächtig aus. Das ist eine gute Nachricht, aber keine Garantie: Bitte lesen Sie, was diese Prüfung nicht sehen konnte.',
  'verdict.summary.high.family.one': 'Dieses Telefon hat {count} Server kontaktiert, der von {family} genutzt wird.',
  'verdict.summary.high.family.other': 'Dieses Telefon hat {count} Server kontaktiert, die von {family} genutzt werden.',
  'verdict.summary.high.nofamily.one': 'Für {count} Server wurden starke Hinweise auf Spionage-Software gefunden.',
  'verdict.summary.high.nofamily.other': 'Für {count} Server wurden starke Hinweise auf Spionage-Software gefunden.',
  'verdict.summary.linked':
    'Dieses Telefon hat eine Website oder einen Server kontaktiert, die mit {family} in Verbindung stehen. Vielleicht hat sich jemand diese Spionage-Software angesehen oder sie installiert.',
  'verdict.summary.moderate.one': '{count} verdächtiges Anzeichen wurde gefunden.',
  'verdict.summary.moderate.other': '{count} verdächtige Anzeichen wurden gefunden.',
  'verdict.summary.low.one': '{count} kleines Anzeichen wurde gefunden, wie es auch gewöhnliche Apps zeigen.',
  'verdict.summary.low.other': '{count} kleine Anzeichen wurden gefunden, wie sie auch gewöhnliche Apps zeigen.',
  'verdict.summary.none': 'In dieser Aufzeichnung wurde nichts gefunden, das mit Stalkerware zu tun hat.',

  // ---------------------------------------------------------------- limits
  'limit.capture': 'Die Aufzeichnung des Datenverkehrs dauerte {duration} und enthält {packets} Pakete ({size}).',
  'limit.short':
    'Das ist kurz oder wenig Verkehr. Spionage-Software sendet ihre Daten manchmal nur alle paar Stunden oder nur, wenn das Telefon benutzt oder geladen wird. Eine kurze Aufzeichnung kann sie deshalb übersehen. Wenn möglich, zeichnen Sie noch einmal mindestens {minutes} Minuten auf, während das Telefon ganz normal benutzt wird.',
  'limit.damaged': 'Die Aufzeichnungsdatei ist beschädigt oder abgeschnitten: Nur der Teil vor dem Schaden wurde geprüft.',
  'limit.noFeeds':
    'Es wurde keine Liste bekannter Stalkerware-Server geladen. Bekannte Stalkerware konnte daher nicht erkannt werden; es wurde nur nach verdächtigem Verhalten gesucht. Laden Sie die Listen (quietcheck indicators update) und prüfen Sie erneut.',
  'limit.feeds.one': 'Die Prüfung hat {count} Liste bekannter Stalkerware-Server und -Merkmale verwendet ({indicators} Einträge), Stand {date}.',
  'limit.feeds.other': 'Die Prüfung hat {count} Listen bekannter Stalkerware-Server und -Merkmale verwendet ({indicators} Einträge), Stand zwischen {oldest} und {date}.',
  'limit.feedsOld':
    'Die älteste Liste ist {days} Tage alt. Es tauchen ständig neue Stalkerware-Server auf: Aktualisieren Sie die Listen und prüfen Sie erneut.',
  'limit.feedFailed': 'Die Liste {feed} konnte beim letzten Versuch nicht aktualisiert werden; eine ältere Fassung wurde verwendet.',
  'limit.hidden.vpn.one':
    '{count} Verbindung sah wie ein VPN- oder Tor-Tunnel aus. Was in einem solchen Tunnel übertragen wird, bleibt dieser Prüfung verborgen.',
  'limit.hidden.vpn.other':
    '{count} Verbindungen sahen wie VPN- oder Tor-Tunnel aus. Was in solchen Tunneln übertragen wird, bleibt dieser Prüfung verborgen.',
  'limit.hidden.dns.one':
    '{count} Verbindung enthielt verschlüsselte Namensabfragen (DNS über TLS oder HTTPS). Die darüber abgefragten Namen konnten nicht geprüft werden.',
  'limit.hidden.dns.other':
    '{count} Verbindungen enthielten verschlüsselte Namensabfragen (DNS über TLS oder HTTPS). Die darüber abgefragten Namen konnten nicht geprüft werden.',
  'limit.hidden.noname.one':
    '{count} verschlüsselte Verbindung hat den Namen des Servers nicht verraten; nur ihre Adresse konnte geprüft werden.',
  'limit.hidden.noname.other':
    '{count} verschlüsselte Verbindungen haben den Namen des Servers nicht verraten; nur ihre Adressen konnten geprüft werden.',
  'limit.encrypted':
    'Der meiste Datenverkehr ist verschlüsselt. Die Prüfung sieht, mit welchen Servern das Telefon spricht, aber nicht, was es ihnen schickt.',
  'limit.notProof':
    'Wenn nichts gefunden wird, ist das kein Beweis, dass ein Telefon sauber ist. Spionage-Software, die während der Aufzeichnung still war, die zu neu für die Listen ist oder die über die Online-Konten des Telefons arbeitet (zum Beispiel mit einem bekannten Google- oder Apple-Passwort), taucht hier nicht auf.',

  // ---------------------------------------------------------------- what to do now
  'guidance.heading': 'Was Sie jetzt tun können',
  'guidance.intro': 'Ihre Sicherheit geht vor. Lassen Sie sich Zeit: Nichts davon muss heute geschehen.',
  'guidance.noRush.title': 'Entfernen Sie nichts überstürzt',
  'guidance.noRush.text':
    'Eine App zu löschen, das Telefon zurückzusetzen oder die Person darauf anzusprechen, kann sie warnen, dass Sie Bescheid wissen. Das kann sie gefährlicher machen und löscht außerdem Beweise. Entscheiden Sie gemeinsam mit einer Beratungsstelle, wann und wie Sie sich um das Telefon kümmern.',
  'guidance.plan.title': 'Machen Sie einen Sicherheitsplan mit Menschen, die sich damit auskennen',
  'guidance.plan.text':
    'Eine Beratungsstelle gegen häusliche Gewalt in Ihrer Nähe kann Ihnen helfen, Ihre Sicherheit zu planen: was mit dem Telefon geschehen soll, wie Sie sicher kommunizieren und was Sie tun, wenn es schlimmer wird. Die Beratung ist vertraulich.',
  'guidance.evidence.title': 'Bewahren Sie diesen Bericht als Beweis auf',
  'guidance.evidence.text':
    'Bewahren Sie diesen Bericht dort auf, wo die andere Person ihn nicht finden kann: nicht auf dem geprüften Telefon und nicht in einem Konto, das sie öffnen könnte. Er kann einer Beratungsstelle, einer Anwältin oder einem Anwalt oder der Polizei helfen.',
  'guidance.device.title': 'Suchen Sie Hilfe von einem sichereren Gerät aus',
  'guidance.device.text':
    'Wenn das Telefon überwacht sein könnte, nutzen Sie ein Gerät, auf das die andere Person nie Zugriff hatte (das Telefon einer Freundin oder eines Freundes, einen Computer in einer Bibliothek oder in der Beratungsstelle), um Hilfe zu suchen oder zu planen.',
  'guidance.trust.title': 'Wenn Sie sich weiter beobachtet fühlen, vertrauen Sie diesem Gefühl',
  'guidance.trust.text':
    'Man kann Sie auch ohne Spionage-Software verfolgen: über ein bekanntes Passwort Ihrer Google-, Apple- oder Social-Media-Konten, geteilte Standorte, einen gemeinsamen Familientarif, einen versteckten Ortungs-Tracker oder Geschenke wie ein zweites Telefon. Eine Beratungsstelle kann Ihnen helfen, das zu prüfen.',
  'guidance.help.title': 'Wo Sie Hilfe finden',
  'guidance.help.text':
    'Wenn Sie jetzt in Gefahr sind, rufen Sie den Notruf an (110 Polizei oder 112 in Europa). Hilfetelefone bei häuslicher Gewalt sind kostenlos und vertraulich, zum Beispiel:',
  'guidance.help.numbers':
    'Deutschland: Hilfetelefon Gewalt gegen Frauen, 116 016\nÖsterreich: Frauenhelpline gegen Gewalt, 0800 222 555\nAnderswo: Fragen Sie die Stelle, die diese Prüfung mit Ihnen gemacht hat, nach einem Hilfetelefon vor Ort',

  // ---------------------------------------------------------------- report body
  'report.title': 'Bericht über die Prüfung des Telefons',
  'report.madeOn': 'Erstellt am {date} mit quietcheck {version}.',
  'report.file': 'Geprüfte Aufzeichnung: {file}',
  'report.privateNote':
    'Dieser Bericht beschreibt ein Telefon, das vielleicht überwacht wird. Bewahren Sie ihn dort auf, wo nur Sie und Menschen Ihres Vertrauens ihn öffnen können.',
  'report.result': 'Ergebnis: {level}',
  'report.meaning.heading': 'Was das bedeutet',
  'report.limits.heading': 'Was diese Prüfung sehen konnte und was nicht',
  'report.findings.heading': 'Was gefunden wurde',
  'report.findings.intro': 'Jeder Server, mit dem das Telefon gesprochen hat, steht hier einmal, mit allem, was über ihn gefunden wurde.',
  'report.findings.none': 'Es wurde nichts Verdächtiges gefunden.',
  'report.findings.minor.one': '{count} Server mit nur kleinen Anzeichen, wie sie auch gewöhnliche Apps zeigen',
  'report.findings.minor.other': '{count} Server mit nur kleinen Anzeichen, wie sie auch gewöhnliche Apps zeigen',
  'report.finding.family': 'Zugehörig zu: {family}',
  'report.finding.basedOn': 'Grundlage: der Eintrag „{value}“ ({kind}) in der Liste {feed}, Version {version}, Stand {date}.',
  'report.finding.alsoAllowed':
    '{allowed} steht auf der Liste bekannter Dienste ({feed}), aber genau dieser Name ist selbst als Server von Spionage-Software verzeichnet.',
  'report.finding.evidence': 'Was beobachtet wurde',
  'report.capabilities.heading': 'Was solche Spionage-Software sehen kann:',
  'capabilities.stalkerware':
    'Stalkerware wie {family} kann meist Nachrichten und Chats lesen, Fotos sehen, den Standort des Telefons verfolgen, Anrufe und Kontakte sehen und manchmal Gespräche oder die Umgebung aufnehmen. All das schickt sie an die Person, die sie installiert hat.',
  'capabilities.watchware':
    '{family} wird verkauft, um Kinder zu beaufsichtigen oder ein Telefon zu finden. Versteckt auf dem Telefon eines Erwachsenen kann damit jemand verfolgen, wo das Telefon ist, und oft Nachrichten und Aktivitäten sehen.',
  'capabilities.spyware':
    '{family} ist hochentwickelte Spionage-Software. Sie kann das ganze Telefon übernehmen: Nachrichten, Anrufe, Kamera, Mikrofon, Dateien und Passwörter.',
  'capabilities.generic':
    'Spionage-Software kann meist Nachrichten lesen, Fotos sehen, den Standort des Telefons verfolgen, Anrufe und Kontakte sehen und all das an eine andere Person schicken.',
  'report.allowed.heading': 'Bekannte Dienste, die nicht gewertet wurden',
  'report.allowed.intro':
    'Diese Server gehören zu bekannten Diensten auf einer Liste erlaubter Dienste und wurden daher nicht als verdächtig gezählt.',
  'report.footer':
    'Dieser Bericht wurde auf diesem Computer erstellt. Nichts aus der Aufzeichnung wurde irgendwohin gesendet.',

  // ---------------------------------------------------------------- findings (src/detect rule ids)
  'finding.IOC-01.title': 'Verbindung zur Adresse eines bekannten Spionage-Servers',
  'finding.IOC-01.explanation':
    'Das Telefon hat sich mit {host} (Port {port}) verbunden, einer Adresse, die als Server von {family} verzeichnet ist. Spionage-Software schickt, was sie sammelt, an Server wie diesen.',
  'finding.IOC-02.title': 'Verbindung zu einem Netz, das Spionage-Software nutzt',
  'finding.IOC-02.explanation':
    'Das Telefon hat sich mit {host} verbunden. Die Adresse liegt in einem Adressbereich ({indicator}), der als Infrastruktur von Spionage-Software oder als verdächtig verzeichnet ist.',
  'finding.IOC-03.title': 'Abfrage des Namens eines bekannten Spionage-Servers',
  'finding.IOC-03.explanation':
    'Das Telefon hat nach der Adresse von {host} gefragt, einem Namen, der als Server von {family} verzeichnet ist. Auch wenn der Server nicht mehr antwortet: Nur eine App, die diesen Namen kennt, fragt danach.',
  'finding.IOC-04.title': 'Kontakt zu einem Tracker, den Stalkerware nutzt',
  'finding.IOC-04.explanation': 'Das Telefon hat {host} kontaktiert, einen Namen, der als Tracking-Dienst von Stalkerware verzeichnet ist.',
  'finding.IOC-05.title': 'Kontakt zu einer kostenlosen dynamischen Adresse',
  'finding.IOC-05.explanation':
    'Das Telefon hat {host} kontaktiert, einen Namen eines kostenlosen Dienstes für dynamische Adressen. Solche Dienste sind billig und leicht zu wechseln und werden oft von Servern von Spionage-Software genutzt.',
  'finding.IOC-06.title': 'Kontakt zu einem Namen mit verdächtiger Endung',
  'finding.IOC-06.explanation':
    'Das Telefon hat {host} kontaktiert, einen Namen mit der Endung .{tld}. Diese Endung wird oft von missbräuchlichen Diensten genutzt, aber auch von gewöhnlichen.',
  'finding.IOC-07.title': 'Server nutzte ein Zertifikat, das von Spionage-Software bekannt ist',
  'finding.IOC-07.explanation':
    'Der Server {host} hat sich mit einem digitalen Zertifikat ausgewiesen, das als zu {family} gehörig verzeichnet ist.',
  'finding.IOC-08.title': 'Unverschlüsselte Anfrage an einen bekannten Spionage-Server',
  'finding.IOC-08.explanation':
    'Das Telefon hat unverschlüsselte Web-Anfragen an {host} geschickt, einen Namen, der als Server von {family} verzeichnet ist.',
  'finding.IOC-09.title': 'Unverschlüsselte Anfrage an eine kostenlose dynamische Adresse',
  'finding.IOC-09.explanation':
    'Das Telefon hat unverschlüsselte Web-Anfragen an {host} geschickt, einen Namen eines kostenlosen Dienstes für dynamische Adressen, wie ihn Server von Spionage-Software oft nutzen.',
  'finding.IOC-10.title': 'Unverschlüsselte Anfrage an einen Namen mit verdächtiger Endung',
  'finding.IOC-10.explanation': 'Das Telefon hat unverschlüsselte Web-Anfragen an {host} geschickt, einen Namen mit der Endung .{tld}, die missbräuchliche Dienste oft nutzen.',
  'finding.IOC-11.title': 'Kontakt zum Tor-Netzwerk',
  'finding.IOC-11.explanation':
    'Das Telefon hat {host} kontaktiert, einen Knoten des Anonymisierungsnetzes Tor. Tor schützt die Privatsphäre, verbirgt aber auch alles, was eine App darüber verschickt.',
  'finding.IOC-12.title': 'Kontakt zu einem Dienst, den auch Spionage-Software nutzt',
  'finding.IOC-12.explanation':
    'Das Telefon hat {host} kontaktiert. Das ist ein seriöser Dienst, aber auch manche Spionage-Software nutzt ihn; für sich allein bedeutet das wenig.',
  'finding.IOC-13.title': 'Nutzung eines verschlüsselten Namensdienstes',
  'finding.IOC-13.explanation':
    'Das Telefon hat {host} kontaktiert, einen Dienst, der Namen verschlüsselt abfragt. Viele Telefone und Browser tun das; es bedeutet, dass manche Namensabfragen dieser Prüfung verborgen blieben.',
  'finding.SSL-04.title': 'Server-Zertifikat nennt einen Spionage-Server',
  'finding.SSL-04.explanation':
    'Der Server {host} hat ein Zertifikat auf den Namen {certName} vorgelegt, einen Namen, der als Server von {family} verzeichnet ist.',
  'finding.IOC-SNI.title': 'Verschlüsselte Verbindung zu einem bekannten Spionage-Server',
  'finding.IOC-SNI.explanation':
    'Das Telefon hat eine verschlüsselte Verbindung zu {host} aufgebaut, einem Namen, der als Server von {family} verzeichnet ist. Der Inhalt ist verborgen, der Name nicht.',
  'finding.IOC-QUIC-SNI.title': 'Verschlüsselte Verbindung zu einem bekannten Spionage-Server',
  'finding.IOC-QUIC-SNI.explanation':
    'Das Telefon hat eine verschlüsselte (QUIC-)Verbindung zu {host} aufgebaut, einem Namen, der als Server von {family} verzeichnet ist. Der Inhalt ist verborgen, der Name nicht.',
  'finding.IOC-CNAME.title': 'Ein Name führte zu einem bekannten Spionage-Server',
  'finding.IOC-CNAME.explanation':
    'Das Telefon hat {host} abgefragt; dieser Name verwies auf {cname}, einen Namen, der als Server von {family} verzeichnet ist.',
  'finding.IOC-JA3.title': 'Verschlüsselte Verbindung mit einem Fingerabdruck, der von Spionage-Software bekannt ist',
  'finding.IOC-JA3.explanation':
    'Die Art, wie eine verschlüsselte Verbindung zu {host} aufgebaut wurde, passt zu einem Fingerabdruck, der für {family} verzeichnet ist. Viele gewöhnliche Apps teilen solche Fingerabdrücke; es ist ein Hinweis, kein Beweis.',
  'finding.IOC-JA4.title': 'Verschlüsselte Verbindung mit einem Fingerabdruck, der von Spionage-Software bekannt ist',
  'finding.IOC-JA4.explanation':
    'Die Art, wie eine verschlüsselte Verbindung zu {host} aufgebaut wurde, passt zu einem Fingerabdruck, der für {family} verzeichnet ist. Viele gewöhnliche Apps teilen solche Fingerabdrücke; es ist ein Hinweis, kein Beweis.',
  'finding.IOC-WEBSITE.title': 'Besuch der Website eines Stalkerware-Anbieters',
  'finding.IOC-WEBSITE.explanation':
    'Das Telefon hat {host} besucht, die Website, auf der {family} verkauft oder heruntergeladen wird. Das beweist nicht, dass die App installiert ist, aber vielleicht wurde sie von diesem Telefon aus gekauft oder installiert.',
  'finding.IOC-URL.title': 'Unverschlüsselte Anfrage an eine bekannte Spionage-Adresse',
  'finding.IOC-URL.explanation': 'Das Telefon hat {url} abgerufen, eine Web-Adresse, die als von {family} genutzt verzeichnet ist.',
  'finding.IOC-NS.title': 'Name wird von einem verdächtigen Nameserver verwaltet',
  'finding.IOC-NS.explanation':
    'Das Telefon hat {host} abgefragt; dessen Adressen verwaltet {nameserver}, ein als verdächtig verzeichneter Nameserver.',
  'finding.IOC-PAYLOAD.title': 'Daten in einer Form gesendet, die von Spionage-Software bekannt ist',
  'finding.IOC-PAYLOAD.explanation':
    'Das Telefon hat mit {host} (Port {port}) Daten ausgetauscht, die dazu passen, wie {family} Gesammeltes übermittelt.',
  'finding.PROTO-01.title': 'Ungewöhnliche Art von Datenverkehr',
  'finding.PROTO-01.explanation':
    'Das Telefon hat {proto}-Verkehr mit {host} auf Port {port} ausgetauscht, den kein üblicher Telefondienst nutzt. Manche Spionage-Software nutzt solche ungewöhnlichen Wege.',
  'finding.PROTO-02.title': 'Verbindung über einen ungewöhnlichen Port',
  'finding.PROTO-02.explanation':
    'Das Telefon hat sich mit {host} über Port {port} verbunden, den übliche Apps selten nutzen. Das kann harmlos sein, aber billige Spionage-Server lauschen oft auf solchen Ports.',
  'finding.PROTO-03.title': 'Unverschlüsselter Web-Verkehr',
  'finding.PROTO-03.explanation':
    'Das Telefon hat Web-Anfragen ohne Verschlüsselung an {host} geschickt. Jeder im selben Netz hätte sie lesen können. Viele ältere Apps tun das noch.',
  'finding.PROTO-04.title': 'Unverschlüsselter Web-Verkehr über einen ungewöhnlichen Port',
  'finding.PROTO-04.explanation':
    'Das Telefon hat unverschlüsselte Web-Anfragen an {host} über Port {port} geschickt. Gewöhnliche Websites tun das selten, manche Spionage-Software schon.',
  'finding.PROTO-05.title': 'Server ohne Namensabfrage kontaktiert',
  'finding.PROTO-05.explanation':
    'Das Telefon hat {host} kontaktiert, ohne während der Aufzeichnung einen Namen dafür abzufragen. Die Adresse steckt vielleicht fest in einer App, oder sie wurde vor Beginn der Aufzeichnung abgefragt.',
  'finding.SSL-01.title': 'Verschlüsselte Verbindung über einen ungewöhnlichen Port',
  'finding.SSL-01.explanation':
    'Das Telefon hat eine verschlüsselte Verbindung zu {host} über Port {port} aufgebaut. Gewöhnliche Websites nutzen Port 443; Spionage-Server nutzen manchmal andere Ports.',
  'finding.SSL-02.title': 'Zertifikat von einem kostenlosen Anbieter',
  'finding.SSL-02.explanation':
    'Der Server {host} nutzt ein kostenloses Zertifikat von {issuer}. Sehr viele normale Websites tun das; es wird nur erwähnt, weil Spionage-Server es auch tun.',
  'finding.SSL-03.title': 'Selbst ausgestelltes Zertifikat',
  'finding.SSL-03.explanation':
    'Der Server {host} hat sich mit einem Zertifikat ausgewiesen, das er sich selbst ausgestellt hat ({subject}) und für das niemand bürgt. Normale Dienste tun das selten.',
  'finding.SSL-EXPIRED.title': 'Abgelaufenes Zertifikat',
  'finding.SSL-EXPIRED.explanation':
    'Der Server {host} nutzte ein Zertifikat, das bereits abgelaufen war ({notAfter}). Gut gepflegte Dienste erneuern ihre Zertifikate; vernachlässigte oder behelfsmäßige Server oft nicht.',
  'finding.SSL-NOT-YET-VALID.title': 'Zertifikat noch nicht gültig',
  'finding.SSL-NOT-YET-VALID.explanation':
    'Der Server {host} nutzte ein Zertifikat, das erst ab {notBefore} gültig war. Das kommt bei behelfsmäßigen Servern vor oder wenn eine Uhr falsch geht.',
  'finding.SSL-NAME-MISMATCH.title': 'Zertifikat passt nicht zum Namen',
  'finding.SSL-NAME-MISMATCH.explanation':
    'Das Telefon hat nach {host} gefragt, aber das Zertifikat des Servers lautet auf andere Namen ({certNames}). Normale Apps lehnen eine solche Verbindung ab; manche Spionage-Software prüft das nicht.',
  'finding.BEH-BEACON.title': 'Regelmäßiger Kontakt zum selben Server',
  'finding.BEH-BEACON.explanation':
    'Das Telefon hat {host} {count}-mal kontaktiert, sehr regelmäßig etwa alle {period}. Spionage-Software meldet sich oft nach festem Zeitplan, manche gewöhnliche Apps aber auch.',
  'finding.BEH-UPLOAD.title': 'Viel mehr Daten gesendet als empfangen',
  'finding.BEH-UPLOAD.explanation':
    'Das Telefon hat {bytesUp} an {host} gesendet und nur {bytesDown} empfangen. Viele Daten zu senden ist das, was Spionage-Software mit Fotos oder Aufnahmen tut, aber Sicherungen und Uploads sehen genauso aus.',
  'finding.BEH-DOT.title': 'Verschlüsselte Namensabfragen',
  'finding.BEH-DOT.explanation':
    'Das Telefon hat Namen über einen verschlüsselten Dienst bei {host} abgefragt. Das schützt die Privatsphäre, verbirgt diese Abfragen aber auch vor dieser Prüfung.',
  'finding.BEH-DOH.title': 'Verschlüsselte Namensabfragen',
  'finding.BEH-DOH.explanation':
    'Das Telefon hat {resolver} genutzt, um Namen verschlüsselt abzufragen. Das schützt die Privatsphäre, verbirgt diese Abfragen aber auch vor dieser Prüfung.',
  'finding.BEH-DEVICE-NAME.title': 'Der Name des Telefons wurde unverschlüsselt gesendet',
  'finding.BEH-DEVICE-NAME.explanation':
    'Der eigene Name des Telefons ({deviceName}) wurde unverschlüsselt an {host} gesendet. Manche Überwachungs-Apps melden so, auf welchem Gerät sie laufen.',
  'finding.BEH-HOTSPOT-NAME.title': 'Der WLAN-Name wurde unverschlüsselt gesendet',
  'finding.BEH-HOTSPOT-NAME.explanation':
    'Der Name des WLANs, das das Telefon nutzte ({hotspotName}), wurde unverschlüsselt an {host} gesendet. Vielleicht meldet eine App, wo sich das Telefon befindet.',
  'finding.BEH-VPN.title': 'VPN-Tunnel',
  'finding.BEH-VPN.explanation':
    'Das Telefon hat einen {protocol}-VPN-Tunnel zu {host} genutzt. Was im Tunnel übertragen wird, kann nicht geprüft werden. Wenn Sie selbst kein VPN eingerichtet haben, erwähnen Sie es bei einer Fachkraft.',
  'finding.BEH-TOR.title': 'Verbindung, die wie Tor aussieht',
  'finding.BEH-TOR.explanation':
    'Eine Verbindung zu {host} sieht nach dem Anonymisierungsnetz Tor aus. Alles, was darüber läuft, bleibt dieser Prüfung verborgen.',
  'finding.ADV-01.title': 'Mehrere Anzeichen weisen auf diesen Server',
  'finding.ADV-01.explanation':
    'Für {host} wurden {count} verschiedene Anzeichen gefunden ({rules}). Zusammen sagen sie mehr als jedes für sich.',
  'finding.familyUnknown': 'Spionage-Software',
  'finding.unknown.title': 'Befund {id}',
  'finding.unknown.explanation': 'Die Erkennungsregel {id} hat diesen Server gemeldet.',

  // ---------------------------------------------------------------- technical appendix
  'appendix.heading': 'Technische Einzelheiten (für Fachleute)',
  'appendix.capture.heading': 'Die Aufzeichnung',
  'appendix.sha256': 'SHA-256 der Datei',
  'appendix.fileName': 'Datei',
  'appendix.format': 'Format',
  'appendix.duration': 'Dauer',
  'appendix.packets': 'Pakete',
  'appendix.bytes': 'Umfang des Datenverkehrs',
  'appendix.firstSeen': 'Erstes Paket',
  'appendix.lastSeen': 'Letztes Paket',
  'appendix.timeline.heading': 'Datenverkehr im Zeitverlauf',
  'appendix.timeline.caption': 'Bytes je {bucket}. Rote Markierungen zeigen, wann etwas gefunden wurde.',
  'appendix.timeline.empty': 'Kein Datenverkehr darzustellen.',
  'appendix.connections.heading': 'Verbindungen',
  'appendix.more': '{count} weitere Zeilen werden nicht angezeigt.',
  'appendix.dns.heading': 'Abgefragte Namen (DNS)',
  'appendix.tls.heading': 'Verschlüsselte Verbindungen und Zertifikate (TLS, QUIC)',
  'appendix.http.heading': 'Unverschlüsselte Web-Anfragen (HTTP)',
  'appendix.feeds.heading': 'Verwendete Indikatorlisten',
  'appendix.feeds.none': 'Es wurde keine Indikatorliste geladen.',
  'appendix.allowed.heading': 'Erlaubte Server',
  'appendix.none': 'Keine.',
  'appendix.noAnswer': 'keine Antwort',
  'col.proto': 'Protokoll',
  'col.client': 'Von',
  'col.server': 'Nach',
  'col.port': 'Port',
  'col.names': 'Namen',
  'col.service': 'Dienst',
  'col.packets': 'Pakete',
  'col.sent': 'Gesendet',
  'col.received': 'Empfangen',
  'col.first': 'Zuerst gesehen',
  'col.duration': 'Dauer',
  'col.time': 'Zeit',
  'col.name': 'Name',
  'col.type': 'Typ',
  'col.answers': 'Antworten',
  'col.sni': 'Servername',
  'col.certificate': 'Zertifikat',
  'col.issuer': 'Aussteller',
  'col.validity': 'Gültig',
  'col.method': 'Anfrage',
  'col.host': 'Host',
  'col.feed': 'Liste',
  'col.version': 'Version',
  'col.date': 'Stand',
  'col.entries': 'Einträge',
  'col.role': 'Rolle',
  'col.allowedBy': 'Erlaubt durch',
  'col.silenced': 'Nicht gemeldet',
  'feed.role.block': 'Indikatoren',
  'feed.role.allow': 'Liste erlaubter Dienste',
  'cert.selfSigned': 'selbst signiert',

  // ---------------------------------------------------------------- units and dates
  'date.utc': '{date} UTC',
  'date.unknown': 'unbekannt',
  'duration.seconds': '{s} s',
  'duration.minutes': '{m} min {s} s',
  'duration.hours': '{h} Std. {m} min',
  'size.B': '{n} Byte',
  'size.KB': '{n} kB',
  'size.MB': '{n} MB',
  'size.GB': '{n} GB',
  'bucket.seconds': '{n} Sekunden',
  'bucket.minutes': '{n} Minuten',
  'bucket.hours': '{n} Stunden',

  // ---------------------------------------------------------------- quietcheck analyze (terminal)
  'cli.reading': 'Lese {file} …',
  'cli.loadingFiles': 'Lade {count} Indikatordateien …',
  'cli.loadingStore': 'Lade die Indikatorlisten aus {dir} …',
  'cli.noFeeds': 'Keine Indikatorlisten gefunden: Es wird nur nach verdächtigem Verhalten gesucht. Führen Sie zuerst „quietcheck indicators update“ aus.',
  'cli.rendering': 'Schreibe den {format}-Bericht …',
  'cli.written': 'Bericht geschrieben nach {file}',
  'cli.verdict': 'Ergebnis: {level}. {summary}',
  'cli.pdfMissing':
    'PDF nicht möglich: Chromium wurde unter {path} nicht gefunden. Installieren Sie es (Debian/Ubuntu: sudo apt install chromium) oder nutzen Sie --format html und drucken Sie die Seite aus einem Browser.',
  'cli.pdfFailed': 'Chromium konnte das PDF nicht drucken: {reason}',
  'cli.error.noFile': '{file}: Datei nicht gefunden',
  'cli.error.denied': '{file}: Zugriff verweigert',
  'cli.error.isDir': '{file}: ist ein Ordner, keine Datei',
  'cli.pdfToTerminal': 'Ein PDF kann nicht im Terminal angezeigt werden: Geben Sie eine Datei mit -o bericht.pdf an.',
};
