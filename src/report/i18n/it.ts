/** Italiano. Forma di cortesia (Lei), parole semplici; i termini tecnici restano nell'appendice. */
export const it: Record<string, string> = {
  'level.high': 'Alto',
  'level.moderate': 'Moderato',
  'level.low': 'Basso',
  'level.none': 'Nessuno',

  // ---------------------------------------------------------------- verdict
  'verdict.high.headline': 'Su questo telefono è molto probabile che ci sia un programma spia',
  'verdict.moderate.headline': 'È stato trovato qualcosa di sospetto',
  'verdict.low.headline': 'Non è stato trovato nulla di preoccupante',
  'verdict.none.headline': 'Non è stato trovato alcun segno di programmi spia',
  'verdict.high.meaning':
    'Il telefono ha comunicato con server che risultano usati da programmi spia (stalkerware). Molto probabilmente qualcuno ha installato un’app che raccoglie di nascosto ciò che accade su questo telefono e glielo invia. Non è colpa Sua, e non è sola o solo: i servizi di sostegno conoscono bene questa situazione e possono aiutarLa.',
  'verdict.moderate.meaning':
    'Il controllo ha trovato segnali che possono essere innocui, ma che sono anche tipici dei programmi spia. Vale la pena che li esamini qualcuno esperto di telefoni e sicurezza digitale, per esempio una persona specializzata di un servizio di sostegno.',
  'verdict.low.meaning':
    'Il controllo ha trovato solo piccole cose che fanno anche le app normali. Da sole non sono un motivo di preoccupazione.',
  'verdict.none.meaning':
    'Durante il controllo il telefono non ha comunicato con nessun server noto di programmi spia e nulla sembrava sospetto. È una buona notizia, ma non una garanzia: legga che cosa questo controllo non poteva vedere.',
  'verdict.summary.high.family.one': 'Questo telefono ha contattato {count} server usato da {family}.',
  'verdict.summary.high.family.other': 'Questo telefono ha contattato {count} server usati da {family}.',
  'verdict.summary.high.nofamily.one': 'Sono stati trovati forti segni di un programma spia per {count} server.',
  'verdict.summary.high.nofamily.other': 'Sono stati trovati forti segni di un programma spia per {count} server.',
  'verdict.summary.linked':
    'Questo telefono ha contattato un sito o un server collegato a {family}. Forse qualcuno ha guardato questo programma spia, oppure lo ha installato.',
  'verdict.summary.moderate.one': 'È stato trovato {count} segnale sospetto.',
  'verdict.summary.moderate.other': 'Sono stati trovati {count} segnali sospetti.',
  'verdict.summary.low.one': 'È stato trovato {count} segnale minore, del tipo che mostrano anche le app normali.',
  'verdict.summary.low.other': 'Sono stati trovati {count} segnali minori, del tipo che mostrano anche le app normali.',
  'verdict.summary.none': 'In questa registrazione non è stato trovato nulla legato a programmi spia.',

  // ---------------------------------------------------------------- limits
  'limit.capture': 'La registrazione del traffico del telefono è durata {duration} e contiene {packets} pacchetti ({size}).',
  'limit.short':
    'È una registrazione breve o con poca attività. Un programma spia può inviare i suoi dati solo ogni poche ore, o solo quando il telefono è in uso o in carica, quindi una registrazione breve può non rilevarlo. Se possibile, registri di nuovo per almeno {minutes} minuti mentre il telefono viene usato normalmente.',
  'limit.damaged': 'Il file della registrazione è danneggiato o troncato: è stata controllata solo la parte prima del danno.',
  'limit.noFeeds':
    'Non è stato caricato nessun elenco di server noti di programmi spia, quindi i programmi spia conosciuti non potevano essere riconosciuti: si è cercato solo un comportamento sospetto. Carichi gli elenchi (quietcheck indicators update) e ripeta il controllo.',
  'limit.feeds.one': 'Il controllo ha usato {count} elenco di server e segnali noti di programmi spia ({indicators} voci), aggiornato il {date}.',
  'limit.feeds.other': 'Il controllo ha usato {count} elenchi di server e segnali noti di programmi spia ({indicators} voci), aggiornati tra il {oldest} e il {date}.',
  'limit.feedsOld':
    'L’elenco più vecchio ha {days} giorni. Nuovi server di programmi spia compaiono continuamente: aggiorni gli elenchi e ripeta il controllo.',
  'limit.feedFailed': 'L’elenco {feed} non si è potuto aggiornare all’ultimo tentativo; è stata usata una copia precedente.',
  'limit.hidden.vpn.one':
    '{count} connessione sembrava un tunnel VPN o Tor. Ciò che passa dentro un tunnel del genere resta nascosto a questo controllo.',
  'limit.hidden.vpn.other':
    '{count} connessioni sembravano tunnel VPN o Tor. Ciò che passa dentro tunnel del genere resta nascosto a questo controllo.',
  'limit.hidden.dns.one':
    '{count} connessione trasportava ricerche di nomi cifrate (DNS su TLS o HTTPS). I nomi cercati in quel modo non si sono potuti controllare.',
  'limit.hidden.dns.other':
    '{count} connessioni trasportavano ricerche di nomi cifrate (DNS su TLS o HTTPS). I nomi cercati in quel modo non si sono potuti controllare.',
  'limit.hidden.noname.one':
    '{count} connessione cifrata non ha rivelato il nome del server; si è potuto controllare solo il suo indirizzo.',
  'limit.hidden.noname.other':
    '{count} connessioni cifrate non hanno rivelato il nome del server; si sono potuti controllare solo i loro indirizzi.',
  'limit.encrypted':
    'La maggior parte del traffico è cifrata. Il controllo vede con quali server parla il telefono, non che cosa invia loro.',
  'limit.notProof':
    'Non trovare nulla non dimostra che un telefono sia pulito. Un programma spia rimasto in silenzio durante la registrazione, troppo recente per essere negli elenchi, o che agisce attraverso gli account online del telefono (per esempio una password di Google o Apple conosciuta dall’altra persona) qui non compare.',

  // ---------------------------------------------------------------- what to do now
  'guidance.heading': 'Che cosa fare adesso',
  'guidance.intro': 'La Sua sicurezza viene prima di tutto. Si prenda il tempo necessario: niente di tutto questo va fatto oggi.',
  'guidance.noRush.title': 'Non si affretti a eliminare nulla',
  'guidance.noRush.text':
    'Cancellare un’app, ripristinare il telefono o affrontare la persona può farle capire che Lei sa. Questo può renderla più pericolosa e, inoltre, cancella le prove. Decida quando e come occuparsi del telefono insieme a un servizio di sostegno.',
  'guidance.plan.title': 'Prepari un piano di sicurezza con chi conosce queste situazioni',
  'guidance.plan.text':
    'Un centro antiviolenza vicino a Lei può aiutarLa a pianificare la Sua sicurezza: che cosa fare con il telefono, come comunicare in modo sicuro e che cosa fare se la situazione peggiora. Il loro aiuto è riservato.',
  'guidance.evidence.title': 'Conservi questo rapporto come prova',
  'guidance.evidence.text':
    'Conservi questo rapporto dove l’altra persona non può trovarlo: non sul telefono controllato e non in un account che potrebbe aprire. Può essere utile a un servizio di sostegno, a un’avvocata o un avvocato, o alle forze dell’ordine.',
  'guidance.device.title': 'Cerchi aiuto da un dispositivo più sicuro',
  'guidance.device.text':
    'Se il telefono potrebbe essere sorvegliato, usi un dispositivo a cui l’altra persona non ha mai avuto accesso (il telefono di un’amica o di un amico, un computer di una biblioteca o del servizio di sostegno) per cercare aiuto o organizzarsi.',
  'guidance.trust.title': 'Se si sente ancora controllata o controllato, si fidi di questa sensazione',
  'guidance.trust.text':
    'Si può essere seguiti anche senza programmi spia: tramite una password conosciuta dei Suoi account Google, Apple o social, la condivisione della posizione, un piano famiglia condiviso, un localizzatore nascosto o regali come un secondo telefono. Un servizio di sostegno può aiutarLa a verificare tutto questo.',
  'guidance.help.title': 'Dove trovare aiuto',
  'guidance.help.text':
    'Se è in pericolo adesso, chiami il numero di emergenza (112 in Europa). Le linee di aiuto contro la violenza sono gratuite e riservate, per esempio:',
  'guidance.help.numbers':
    'Italia: 1522, numero antiviolenza e stalking, attivo 24 ore su 24\nAltrove: chieda al servizio che ha fatto questo controllo con Lei il numero di una linea di aiuto locale',

  // ---------------------------------------------------------------- report body
  'report.title': 'Rapporto sul controllo del telefono',
  'report.madeOn': 'Redatto il {date} con quietcheck {version}.',
  'report.file': 'Registrazione controllata: {file}',
  'report.privateNote':
    'Questo rapporto riguarda un telefono che qualcuno potrebbe sorvegliare. Lo conservi dove possono aprirlo solo Lei e le persone di cui si fida.',
  'report.result': 'Risultato: {level}',
  'report.meaning.heading': 'Che cosa significa',
  'report.limits.heading': 'Che cosa questo controllo poteva vedere e che cosa no',
  'report.findings.heading': 'Che cosa è stato trovato',
  'report.findings.intro': 'Ogni server con cui ha parlato il telefono compare una volta, con tutto ciò che è stato trovato su di esso.',
  'report.findings.none': 'Non è stato trovato nulla di sospetto.',
  'report.findings.minor.one': '{count} server con solo segnali minori, del tipo che mostrano anche le app normali',
  'report.findings.minor.other': '{count} server con solo segnali minori, del tipo che mostrano anche le app normali',
  'report.finding.family': 'Collegato a: {family}',
  'report.finding.basedOn': 'In base alla voce «{value}» ({kind}) dell’elenco {feed}, versione {version}, aggiornato il {date}.',
  'report.finding.alsoAllowed':
    '{allowed} è nell’elenco dei servizi noti ({feed}), ma proprio questo nome è indicato come server di un programma spia.',
  'report.finding.evidence': 'Che cosa è stato osservato',
  'report.capabilities.heading': 'Che cosa può vedere un programma spia di questo tipo:',
  'capabilities.stalkerware':
    'Un programma spia come {family} di solito può leggere messaggi e chat, vedere le foto, seguire la posizione del telefono, vedere chiamate e contatti e a volte registrare le chiamate o i suoni intorno al telefono. Invia tutto questo alla persona che lo ha installato.',
  'capabilities.watchware':
    '{family} è venduto per controllare bambine e bambini o per ritrovare un telefono. Nascosto sul telefono di una persona adulta, permette di seguire dove si trova il telefono e spesso di vedere messaggi e attività.',
  'capabilities.spyware':
    '{family} è un programma spia avanzato. Può prendere il controllo dell’intero telefono: messaggi, chiamate, fotocamera, microfono, file e password.',
  'capabilities.generic':
    'Un programma spia di solito può leggere i messaggi, vedere le foto, seguire la posizione del telefono, vedere chiamate e contatti e inviare tutto questo a qualcun altro.',
  'report.allowed.heading': 'Servizi noti lasciati da parte',
  'report.allowed.intro':
    'Questi server appartengono a servizi noti presenti in un elenco di servizi consentiti, quindi non sono stati contati come sospetti.',
  'report.footer':
    'Questo rapporto è stato redatto su questo computer. Nulla della registrazione è stato inviato altrove.',

  // ---------------------------------------------------------------- findings (src/detect rule ids)
  'finding.IOC-01.title': 'Connessione all’indirizzo di un server spia noto',
  'finding.IOC-01.explanation':
    'Il telefono si è collegato a {host} (porta {port}), un indirizzo indicato come server di {family}. I programmi spia inviano ciò che raccolgono a server come questo.',
  'finding.IOC-02.title': 'Connessione a una rete usata da programmi spia',
  'finding.IOC-02.explanation':
    'Il telefono si è collegato a {host}, che si trova in un intervallo di indirizzi ({indicator}) indicato come infrastruttura di programmi spia o sospetta.',
  'finding.IOC-03.title': 'Ricerca del nome di un server spia noto',
  'finding.IOC-03.explanation':
    'Il telefono ha chiesto l’indirizzo di {host}, un nome indicato come server di {family}. Anche se il server non risponde più, solo un’app che conosce questo nome lo chiede.',
  'finding.IOC-04.title': 'Contatto con un tracciatore usato da programmi spia',
  'finding.IOC-04.explanation': 'Il telefono ha contattato {host}, un nome indicato come servizio di tracciamento usato da programmi spia.',
  'finding.IOC-05.title': 'Contatto con un indirizzo dinamico gratuito',
  'finding.IOC-05.explanation':
    'Il telefono ha contattato {host}, un nome di un servizio gratuito di indirizzi dinamici. Questi servizi costano poco e si cambiano facilmente, e sono spesso usati dai server dei programmi spia.',
  'finding.IOC-06.title': 'Contatto con un nome dalla terminazione sospetta',
  'finding.IOC-06.explanation':
    'Il telefono ha contattato {host}, un nome che termina in .{tld}. Questa terminazione è usata spesso da servizi abusivi, ma anche da servizi normali.',
  'finding.IOC-07.title': 'Il server ha usato un certificato noto di programmi spia',
  'finding.IOC-07.explanation':
    'Il server {host} si è identificato con un certificato digitale indicato come appartenente a {family}.',
  'finding.IOC-08.title': 'Richiesta non cifrata a un server spia noto',
  'finding.IOC-08.explanation':
    'Il telefono ha inviato richieste web non cifrate a {host}, un nome indicato come server di {family}.',
  'finding.IOC-09.title': 'Richiesta non cifrata a un indirizzo dinamico gratuito',
  'finding.IOC-09.explanation':
    'Il telefono ha inviato richieste web non cifrate a {host}, un nome di un servizio gratuito di indirizzi dinamici spesso usato dai server dei programmi spia.',
  'finding.IOC-10.title': 'Richiesta non cifrata a un nome dalla terminazione sospetta',
  'finding.IOC-10.explanation': 'Il telefono ha inviato richieste web non cifrate a {host}, un nome che termina in .{tld}, usato spesso da servizi abusivi.',
  'finding.IOC-11.title': 'Contatto con la rete Tor',
  'finding.IOC-11.explanation':
    'Il telefono ha contattato {host}, un nodo della rete di anonimato Tor. Tor protegge la privacy, ma nasconde anche tutto ciò che un’app invia attraverso di essa.',
  'finding.IOC-12.title': 'Contatto con un servizio usato anche da programmi spia',
  'finding.IOC-12.explanation':
    'Il telefono ha contattato {host}. È un servizio legittimo, ma anche alcuni programmi spia lo usano: da solo significa poco.',
  'finding.IOC-13.title': 'Uso di un servizio di ricerca dei nomi cifrato',
  'finding.IOC-13.explanation':
    'Il telefono ha contattato {host}, un servizio che cerca i nomi in forma cifrata. Molti telefoni e browser lo fanno; significa che alcune ricerche di nomi sono rimaste nascoste a questo controllo.',
  'finding.SSL-04.title': 'Il certificato del server nomina un server spia',
  'finding.SSL-04.explanation':
    'Il server {host} ha presentato un certificato intestato a {certName}, un nome indicato come server di {family}.',
  'finding.IOC-SNI.title': 'Connessione cifrata verso un server spia noto',
  'finding.IOC-SNI.explanation':
    'Il telefono ha aperto una connessione cifrata verso {host}, un nome indicato come server di {family}. Il contenuto è nascosto, ma il nome no.',
  'finding.IOC-QUIC-SNI.title': 'Connessione cifrata verso un server spia noto',
  'finding.IOC-QUIC-SNI.explanation':
    'Il telefono ha aperto una connessione cifrata (QUIC) verso {host}, un nome indicato come server di {family}. Il contenuto è nascosto, ma il nome no.',
  'finding.IOC-CNAME.title': 'Un nome portava a un server spia noto',
  'finding.IOC-CNAME.explanation':
    'Il telefono ha cercato {host}, che in realtà rimandava a {cname}, un nome indicato come server di {family}.',
  'finding.IOC-JA3.title': 'Connessione cifrata con un’impronta vista nei programmi spia',
  'finding.IOC-JA3.explanation':
    'Il modo in cui è stata stabilita una connessione cifrata verso {host} corrisponde a un’impronta indicata per {family}. Molte app normali condividono queste impronte: è un indizio, non una prova.',
  'finding.IOC-JA4.title': 'Connessione cifrata con un’impronta vista nei programmi spia',
  'finding.IOC-JA4.explanation':
    'Il modo in cui è stata stabilita una connessione cifrata verso {host} corrisponde a un’impronta indicata per {family}. Molte app normali condividono queste impronte: è un indizio, non una prova.',
  'finding.IOC-WEBSITE.title': 'Visita al sito di un venditore di programmi spia',
  'finding.IOC-WEBSITE.explanation':
    'Il telefono ha visitato {host}, il sito dove {family} viene venduto o scaricato. Questo non dimostra che l’app sia installata, ma forse qualcuno l’ha comprata o installata da questo telefono.',
  'finding.IOC-URL.title': 'Richiesta non cifrata a un indirizzo spia noto',
  'finding.IOC-URL.explanation': 'Il telefono ha richiesto {url}, un indirizzo web indicato come usato da {family}.',
  'finding.IOC-NS.title': 'Nome gestito da un name server sospetto',
  'finding.IOC-NS.explanation':
    'Il telefono ha cercato {host}, i cui indirizzi sono gestiti da {nameserver}, un name server indicato come sospetto.',
  'finding.IOC-PAYLOAD.title': 'Dati inviati in un modo noto dai programmi spia',
  'finding.IOC-PAYLOAD.explanation':
    'Il telefono ha scambiato con {host} (porta {port}) dati che corrispondono al modo in cui {family} trasmette ciò che raccoglie.',
  'finding.PROTO-01.title': 'Tipo di traffico insolito',
  'finding.PROTO-01.explanation':
    'Il telefono ha scambiato traffico {proto} con {host} sulla porta {port}, che nessun servizio comune del telefono usa. Alcuni programmi spia usano canali insoliti come questo.',
  'finding.PROTO-02.title': 'Connessione su una porta insolita',
  'finding.PROTO-02.explanation':
    'Il telefono si è collegato a {host} sulla porta {port}, che le app comuni usano di rado. Può essere innocuo, ma i server spia economici ascoltano spesso su porte del genere.',
  'finding.PROTO-03.title': 'Traffico web non cifrato',
  'finding.PROTO-03.explanation':
    'Il telefono ha inviato richieste web a {host} senza cifratura. Chiunque sulla stessa rete poteva leggerle. Molte app vecchie lo fanno ancora.',
  'finding.PROTO-04.title': 'Traffico web non cifrato su una porta insolita',
  'finding.PROTO-04.explanation':
    'Il telefono ha inviato richieste web non cifrate a {host} sulla porta {port}. I siti normali lo fanno di rado; alcuni programmi spia sì.',
  'finding.PROTO-05.title': 'Server contattato senza cercarne il nome',
  'finding.PROTO-05.explanation':
    'Il telefono ha contattato {host} senza cercare alcun nome per esso durante la registrazione. L’indirizzo potrebbe essere scritto dentro un’app, oppure è stato cercato prima dell’inizio della registrazione.',
  'finding.SSL-01.title': 'Connessione cifrata su una porta insolita',
  'finding.SSL-01.explanation':
    'Il telefono ha aperto una connessione cifrata verso {host} sulla porta {port}. I siti normali usano la porta 443; i server spia a volte ne usano altre.',
  'finding.SSL-02.title': 'Certificato di un fornitore gratuito',
  'finding.SSL-02.explanation':
    'Il server {host} usa un certificato gratuito di {issuer}. Moltissimi siti normali lo fanno; viene segnalato solo perché lo fanno anche i server spia.',
  'finding.SSL-03.title': 'Certificato fatto in casa',
  'finding.SSL-03.explanation':
    'Il server {host} si è identificato con un certificato creato da sé ({subject}), che nessuno garantisce. I servizi normali lo fanno di rado.',
  'finding.SSL-EXPIRED.title': 'Certificato scaduto',
  'finding.SSL-EXPIRED.explanation':
    'Il server {host} ha usato un certificato già scaduto ({notAfter}). I servizi ben gestiti rinnovano i loro certificati; i server trascurati o improvvisati spesso no.',
  'finding.SSL-NOT-YET-VALID.title': 'Certificato non ancora valido',
  'finding.SSL-NOT-YET-VALID.explanation':
    'Il server {host} ha usato un certificato valido solo a partire dal {notBefore}. Succede con server improvvisati, o quando un orologio è sbagliato.',
  'finding.SSL-NAME-MISMATCH.title': 'Il certificato non corrisponde al nome',
  'finding.SSL-NAME-MISMATCH.explanation':
    'Il telefono ha chiesto {host}, ma il certificato del server è intestato ad altri nomi ({certNames}). Le app normali rifiutano una connessione così; alcuni programmi spia non controllano.',
  'finding.BEH-BEACON.title': 'Contatti regolari con lo stesso server',
  'finding.BEH-BEACON.explanation':
    'Il telefono ha contattato {host} {count} volte, circa ogni {period}, in modo molto regolare. I programmi spia si fanno vivi spesso a orari fissi, ma lo fanno anche alcune app normali.',
  'finding.BEH-UPLOAD.title': 'Molti più dati inviati che ricevuti',
  'finding.BEH-UPLOAD.explanation':
    'Il telefono ha inviato {bytesUp} a {host} e ha ricevuto solo {bytesDown}. Inviare molti dati è ciò che fa un programma spia con foto o registrazioni, ma backup e caricamenti di file appaiono allo stesso modo.',
  'finding.BEH-DOT.title': 'Ricerche di nomi cifrate',
  'finding.BEH-DOT.explanation':
    'Il telefono ha cercato nomi tramite un servizio cifrato presso {host}. Questo protegge la privacy, ma nasconde anche quelle ricerche a questo controllo.',
  'finding.BEH-DOH.title': 'Ricerche di nomi cifrate',
  'finding.BEH-DOH.explanation':
    'Il telefono ha usato {resolver} per cercare nomi in forma cifrata. Questo protegge la privacy, ma nasconde anche quelle ricerche a questo controllo.',
  'finding.BEH-DEVICE-NAME.title': 'Il nome del telefono è stato inviato senza cifratura',
  'finding.BEH-DEVICE-NAME.explanation':
    'Il nome del telefono ({deviceName}) è stato inviato senza cifratura a {host}. Alcune app di tracciamento segnalano così su quale dispositivo si trovano.',
  'finding.BEH-HOTSPOT-NAME.title': 'Il nome della rete Wi-Fi è stato inviato senza cifratura',
  'finding.BEH-HOTSPOT-NAME.explanation':
    'Il nome della rete Wi-Fi usata dal telefono ({hotspotName}) è stato inviato senza cifratura a {host}. Forse un’app sta segnalando dove si trova il telefono.',
  'finding.BEH-VPN.title': 'Tunnel VPN',
  'finding.BEH-VPN.explanation':
    'Il telefono ha usato un tunnel VPN {protocol} verso {host}. Ciò che passa nel tunnel non si può controllare. Se non ha configurato Lei una VPN, lo segnali a una persona esperta.',
  'finding.BEH-TOR.title': 'Connessione che sembra Tor',
  'finding.BEH-TOR.explanation':
    'Una connessione verso {host} sembra appartenere alla rete di anonimato Tor. Tutto ciò che passa di lì resta nascosto a questo controllo.',
  'finding.ADV-01.title': 'Diversi segnali indicano questo server',
  'finding.ADV-01.explanation':
    'Per {host} sono stati trovati {count} segnali diversi ({rules}). Insieme dicono di più di ciascuno da solo.',
  'finding.familyUnknown': 'un programma spia',
  'finding.unknown.title': 'Risultato {id}',
  'finding.unknown.explanation': 'La regola di rilevamento {id} ha segnalato questo server.',

  // ---------------------------------------------------------------- technical appendix
  'appendix.heading': 'Dettagli tecnici (per esperti)',
  'appendix.capture.heading': 'La registrazione',
  'appendix.sha256': 'SHA-256 del file',
  'appendix.fileName': 'File',
  'appendix.format': 'Formato',
  'appendix.duration': 'Durata',
  'appendix.packets': 'Pacchetti',
  'appendix.bytes': 'Volume del traffico',
  'appendix.firstSeen': 'Primo pacchetto',
  'appendix.lastSeen': 'Ultimo pacchetto',
  'appendix.timeline.heading': 'Traffico nel tempo',
  'appendix.timeline.caption': 'Byte per intervallo di {bucket}. I segni rossi indicano quando è stato trovato qualcosa.',
  'appendix.timeline.empty': 'Nessun traffico da rappresentare.',
  'appendix.connections.heading': 'Connessioni',
  'appendix.more': 'Altre {count} righe non sono mostrate.',
  'appendix.dns.heading': 'Nomi cercati (DNS)',
  'appendix.tls.heading': 'Connessioni cifrate e certificati (TLS, QUIC)',
  'appendix.http.heading': 'Richieste web non cifrate (HTTP)',
  'appendix.feeds.heading': 'Elenchi di indicatori usati',
  'appendix.feeds.none': 'Non è stato caricato alcun elenco di indicatori.',
  'appendix.allowed.heading': 'Server consentiti',
  'appendix.none': 'Nessuno.',
  'appendix.noAnswer': 'nessuna risposta',
  'col.proto': 'Protocollo',
  'col.client': 'Da',
  'col.server': 'Verso',
  'col.port': 'Porta',
  'col.names': 'Nomi',
  'col.service': 'Servizio',
  'col.packets': 'Pacchetti',
  'col.sent': 'Inviati',
  'col.received': 'Ricevuti',
  'col.first': 'Visto per la prima volta',
  'col.duration': 'Durata',
  'col.time': 'Ora',
  'col.name': 'Nome',
  'col.type': 'Tipo',
  'col.answers': 'Risposte',
  'col.sni': 'Nome del server',
  'col.certificate': 'Certificato',
  'col.issuer': 'Emittente',
  'col.validity': 'Validità',
  'col.method': 'Richiesta',
  'col.host': 'Host',
  'col.feed': 'Elenco',
  'col.version': 'Versione',
  'col.date': 'Aggiornato',
  'col.entries': 'Voci',
  'col.role': 'Ruolo',
  'col.allowedBy': 'Consentito da',
  'col.silenced': 'Non segnalato',
  'feed.role.block': 'indicatori',
  'feed.role.allow': 'elenco dei consentiti',
  'cert.selfSigned': 'autofirmato',

  // ---------------------------------------------------------------- units and dates
  'date.utc': '{date} UTC',
  'date.unknown': 'in data sconosciuta',
  'duration.seconds': '{s} s',
  'duration.minutes': '{m} min {s} s',
  'duration.hours': '{h} h {m} min',
  'size.B': '{n} byte',
  'size.KB': '{n} kB',
  'size.MB': '{n} MB',
  'size.GB': '{n} GB',
  'bucket.seconds': '{n} secondi',
  'bucket.minutes': '{n} minuti',
  'bucket.hours': '{n} ore',

  // ---------------------------------------------------------------- quietcheck analyze (terminal)
  'cli.reading': 'Lettura di {file}…',
  'cli.loadingFiles': 'Caricamento di {count} file di indicatori…',
  'cli.loadingStore': 'Caricamento degli elenchi di indicatori da {dir}…',
  'cli.noFeeds': 'Nessun elenco di indicatori trovato: si cercherà solo un comportamento sospetto. Esegua prima «quietcheck indicators update».',
  'cli.rendering': 'Scrittura del rapporto {format}…',
  'cli.written': 'Rapporto scritto in {file}',
  'cli.verdict': 'Risultato: {level}. {summary}',
  'cli.pdfMissing':
    'Impossibile creare un PDF: Chromium non è stato trovato in {path}. Lo installi (Debian/Ubuntu: sudo apt install chromium) oppure usi --format html e stampi la pagina da un browser.',
  'cli.pdfFailed': 'Chromium non è riuscito a stampare il PDF: {reason}',
  'cli.error.noFile': '{file}: file inesistente',
  'cli.error.denied': '{file}: permesso negato',
  'cli.error.isDir': '{file}: è una cartella, non un file',
  'cli.pdfToTerminal': 'Un PDF non si può mostrare nel terminale: indichi un file con -o rapporto.pdf.',
};
