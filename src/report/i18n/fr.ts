/** Français. Vouvoiement, mots simples ; les termes techniques restent dans l'annexe. */
export const fr: Record<string, string> = {
  'level.high': 'Élevé',
  'level.moderate': 'Modéré',
  'level.low': 'Faible',
  'level.none': 'Aucun',

  // ---------------------------------------------------------------- verdict
  'verdict.high.headline': 'Un logiciel espion est très probablement installé sur ce téléphone',
  'verdict.moderate.headline': 'Quelque chose de suspect a été trouvé',
  'verdict.low.headline': 'Rien d’inquiétant n’a été trouvé',
  'verdict.none.headline': 'Aucun signe de logiciel espion n’a été trouvé',
  'verdict.high.meaning':
    'Le téléphone a communiqué avec des serveurs connus pour être utilisés par des logiciels espions (stalkerwares). Le plus probable est que quelqu’un a installé une application qui recueille en secret ce qui se passe sur ce téléphone et le lui envoie. Ce n’est pas votre faute, et vous n’êtes pas seule ou seul : les services d’aide connaissent bien cette situation et peuvent vous accompagner.',
  'verdict.moderate.meaning':
    'La vérification a trouvé des signes qui peuvent être sans danger, mais qui sont aussi typiques des logiciels espions. Ils méritent d’être examinés par une personne qui connaît les téléphones et la sécurité numérique, par exemple un ou une spécialiste d’un service d’aide.',
  'verdict.low.meaning':
    'La vérification n’a trouvé que de petites choses que les applications ordinaires font aussi. À elles seules, elles ne sont pas une raison de s’inquiéter.',
  'verdict.none.meaning':
    'Pendant la vérification, le téléphone n’a communiqué avec aucun serveur connu de logiciel espion et rien ne semblait suspect. C’est une bonne nouvelle, mais pas une garantie : lisez ce que cette vérification ne pouvait pas voir.',
  'verdict.summary.high.family.one': 'Ce téléphone a contacté {count} serveur utilisé par {family}.',
  'verdict.summary.high.family.other': 'Ce téléphone a contacté {count} serveurs utilisés par {family}.',
  'verdict.summary.high.nofamily.one': 'Des signes forts de logiciel espion ont été trouvés pour {count} serveur.',
  'verdict.summary.high.nofamily.other': 'Des signes forts de logiciel espion ont été trouvés pour {count} serveurs.',
  'verdict.summary.linked':
    'Ce téléphone a contacté un site ou un serveur lié à {family}. Quelqu’un a peut-être consulté ce logiciel espion, ou l’a installé.',
  'verdict.summary.moderate.one': '{count} signe suspect a été trouvé.',
  'verdict.summary.moderate.other': '{count} signes suspects ont été trouvés.',
  'verdict.summary.low.one': '{count} signe mineur a été trouvé, du type que montrent aussi les applications ordinaires.',
  'verdict.summary.low.other': '{count} signes mineurs ont été trouvés, du type que montrent aussi les applications ordinaires.',
  'verdict.summary.none': 'Rien de lié à un logiciel espion n’a été trouvé dans cet enregistrement.',

  // ---------------------------------------------------------------- limits
  'limit.capture': 'L’enregistrement du trafic du téléphone a duré {duration} et contient {packets} paquets ({size}).',
  'limit.short':
    'C’est court ou peu actif. Un logiciel espion peut n’envoyer ses données que toutes les quelques heures, ou seulement quand le téléphone est utilisé ou en charge : un enregistrement court peut donc le manquer. Si possible, refaites un enregistrement d’au moins {minutes} minutes pendant que le téléphone est utilisé normalement.',
  'limit.damaged': 'Le fichier d’enregistrement est abîmé ou coupé : seule la partie située avant le défaut a été vérifiée.',
  'limit.noFeeds':
    'Aucune liste de serveurs de logiciels espions connus n’a été chargée : les logiciels espions connus ne pouvaient donc pas être reconnus, seuls les comportements suspects ont été recherchés. Chargez les listes (quietcheck indicators update) et recommencez la vérification.',
  'limit.feeds.one': 'La vérification a utilisé {count} liste de serveurs et de signes de logiciels espions connus ({indicators} entrées), mise à jour le {date}.',
  'limit.feeds.other': 'La vérification a utilisé {count} listes de serveurs et de signes de logiciels espions connus ({indicators} entrées), mises à jour entre le {oldest} et le {date}.',
  'limit.feedsOld':
    'La liste la plus ancienne date de {days} jours. De nouveaux serveurs de logiciels espions apparaissent sans cesse : mettez les listes à jour et recommencez.',
  'limit.feedFailed': 'La liste {feed} n’a pas pu être mise à jour lors du dernier essai ; une copie plus ancienne a été utilisée.',
  'limit.hidden.vpn.one':
    '{count} connexion ressemblait à un tunnel VPN ou Tor. Ce qui passe dans un tel tunnel échappe à cette vérification.',
  'limit.hidden.vpn.other':
    '{count} connexions ressemblaient à des tunnels VPN ou Tor. Ce qui passe dans de tels tunnels échappe à cette vérification.',
  'limit.hidden.dns.one':
    '{count} connexion transportait des recherches de noms chiffrées (DNS sur TLS ou HTTPS). Les noms recherchés par ce moyen n’ont pas pu être vérifiés.',
  'limit.hidden.dns.other':
    '{count} connexions transportaient des recherches de noms chiffrées (DNS sur TLS ou HTTPS). Les noms recherchés par ce moyen n’ont pas pu être vérifiés.',
  'limit.hidden.noname.one':
    '{count} connexion chiffrée n’a pas révélé le nom du serveur ; seule son adresse a pu être vérifiée.',
  'limit.hidden.noname.other':
    '{count} connexions chiffrées n’ont pas révélé le nom du serveur ; seules leurs adresses ont pu être vérifiées.',
  'limit.encrypted':
    'La plupart du trafic est chiffré. La vérification voit avec quels serveurs le téléphone communique, pas ce qu’il leur envoie.',
  'limit.notProof':
    'Ne rien trouver ne prouve pas qu’un téléphone est sain. Un logiciel espion resté silencieux pendant l’enregistrement, trop récent pour figurer dans les listes, ou qui passe par les comptes en ligne du téléphone (par exemple un mot de passe Google ou Apple connu de l’autre personne) n’apparaît pas ici.',

  // ---------------------------------------------------------------- what to do now
  'guidance.heading': 'Que faire maintenant',
  'guidance.intro': 'Votre sécurité passe avant tout. Prenez votre temps : rien de tout cela ne doit être fait aujourd’hui.',
  'guidance.noRush.title': 'Ne vous précipitez pas pour supprimer quoi que ce soit',
  'guidance.noRush.text':
    'Supprimer une application, réinitialiser le téléphone ou confronter la personne peut l’avertir que vous savez. Cela peut la rendre plus dangereuse, et cela efface aussi des preuves. Décidez quand et comment vous occuper du téléphone avec un service d’aide.',
  'guidance.plan.title': 'Préparez un plan de sécurité avec des personnes qui connaissent ces situations',
  'guidance.plan.text':
    'Un service d’aide aux victimes de violences conjugales près de chez vous peut vous aider à préparer votre sécurité : que faire du téléphone, comment communiquer sans risque, et quoi faire si la situation s’aggrave. Leur aide est confidentielle.',
  'guidance.evidence.title': 'Gardez ce rapport comme preuve',
  'guidance.evidence.text':
    'Rangez ce rapport là où l’autre personne ne peut pas le trouver : pas sur le téléphone vérifié, ni dans un compte qu’elle pourrait ouvrir. Il peut aider un service d’aide, un avocat ou une avocate, ou la police.',
  'guidance.device.title': 'Cherchez de l’aide depuis un appareil plus sûr',
  'guidance.device.text':
    'Si le téléphone est peut-être surveillé, utilisez un appareil auquel l’autre personne n’a jamais eu accès (le téléphone d’une amie ou d’un ami, un ordinateur de bibliothèque ou du service d’aide) pour chercher de l’aide ou vous organiser.',
  'guidance.trust.title': 'Si vous vous sentez encore surveillée ou surveillé, faites confiance à ce ressenti',
  'guidance.trust.text':
    'On peut aussi vous suivre sans logiciel espion : grâce à un mot de passe connu de vos comptes Google, Apple ou de réseaux sociaux, au partage de position, à un abonnement familial partagé, à une balise de localisation cachée, ou à des cadeaux comme un deuxième téléphone. Un service d’aide peut vous aider à vérifier tout cela.',
  'guidance.help.title': 'Où trouver de l’aide',
  'guidance.help.text':
    'Si vous êtes en danger maintenant, appelez le numéro d’urgence local (112 en Europe, 911 en Amérique du Nord). Les lignes d’écoute pour les violences conjugales sont gratuites et confidentielles, par exemple :',
  'guidance.help.numbers':
    'France : Violences Femmes Info, 3919\nBelgique : Écoute violences conjugales, 0800 30 030\nAilleurs : demandez au service qui a fait cette vérification avec vous le numéro d’une ligne d’écoute locale',

  // ---------------------------------------------------------------- report body
  'report.title': 'Rapport de vérification du téléphone',
  'report.madeOn': 'Établi le {date} avec quietcheck {version}.',
  'report.file': 'Enregistrement vérifié : {file}',
  'report.privateNote':
    'Ce rapport concerne un téléphone que quelqu’un surveille peut-être. Gardez-le là où seules vous et les personnes de confiance pouvez l’ouvrir.',
  'report.result': 'Résultat : {level}',
  'report.meaning.heading': 'Ce que cela signifie',
  'report.limits.heading': 'Ce que cette vérification pouvait voir, et ce qu’elle ne pouvait pas voir',
  'report.findings.heading': 'Ce qui a été trouvé',
  'report.findings.intro': 'Chaque serveur contacté par le téléphone est cité une fois, avec tout ce qui a été trouvé à son sujet.',
  'report.findings.none': 'Rien de suspect n’a été trouvé.',
  'report.findings.minor.one': '{count} serveur avec seulement des signes mineurs, comme en montrent aussi les applications ordinaires',
  'report.findings.minor.other': '{count} serveurs avec seulement des signes mineurs, comme en montrent aussi les applications ordinaires',
  'report.finding.family': 'Lié à : {family}',
  'report.finding.basedOn': 'D’après l’entrée « {value} » ({kind}) de la liste {feed}, version {version}, mise à jour le {date}.',
  'report.finding.alsoAllowed':
    '{allowed} figure dans la liste des services connus ({feed}), mais ce nom précis est lui-même répertorié comme serveur de logiciel espion.',
  'report.finding.evidence': 'Ce qui a été observé',
  'report.capabilities.heading': 'Ce qu’un tel logiciel espion peut voir :',
  'capabilities.stalkerware':
    'Un logiciel espion comme {family} peut en général lire les messages et les discussions, voir les photos, suivre la position du téléphone, voir les appels et les contacts, et parfois enregistrer les appels ou les sons autour du téléphone. Il envoie tout cela à la personne qui l’a installé.',
  'capabilities.watchware':
    '{family} est vendu pour surveiller des enfants ou retrouver un téléphone. Caché sur le téléphone d’un adulte, il permet de suivre où se trouve le téléphone et souvent de voir les messages et l’activité.',
  'capabilities.spyware':
    '{family} est un logiciel espion avancé. Il peut prendre le contrôle de tout le téléphone : messages, appels, caméra, micro, fichiers et mots de passe.',
  'capabilities.generic':
    'Un logiciel espion peut en général lire les messages, voir les photos, suivre la position du téléphone, voir les appels et les contacts, et envoyer tout cela à quelqu’un d’autre.',
  'report.allowed.heading': 'Services connus laissés de côté',
  'report.allowed.intro':
    'Ces serveurs appartiennent à des services connus inscrits sur une liste d’autorisation ; ils n’ont donc pas été comptés comme suspects.',
  'report.footer':
    'Ce rapport a été établi sur cet ordinateur. Rien de l’enregistrement n’a été envoyé où que ce soit.',

  // ---------------------------------------------------------------- findings (src/detect rule ids)
  'finding.IOC-01.title': 'Connexion à l’adresse d’un serveur espion connu',
  'finding.IOC-01.explanation':
    'Le téléphone s’est connecté à {host} (port {port}), une adresse répertoriée comme serveur de {family}. Les logiciels espions envoient ce qu’ils recueillent à des serveurs comme celui-ci.',
  'finding.IOC-02.title': 'Connexion à un réseau utilisé par des logiciels espions',
  'finding.IOC-02.explanation':
    'Le téléphone s’est connecté à {host}, qui se trouve dans une plage d’adresses ({indicator}) répertoriée comme infrastructure de logiciels espions ou suspecte.',
  'finding.IOC-03.title': 'Recherche du nom d’un serveur espion connu',
  'finding.IOC-03.explanation':
    'Le téléphone a demandé l’adresse de {host}, un nom répertorié comme serveur de {family}. Même quand le serveur ne répond plus, seule une application qui connaît ce nom le demande.',
  'finding.IOC-04.title': 'Contact avec un traceur utilisé par des logiciels espions',
  'finding.IOC-04.explanation': 'Le téléphone a contacté {host}, un nom répertorié comme service de pistage utilisé par des logiciels espions.',
  'finding.IOC-05.title': 'Contact avec une adresse dynamique gratuite',
  'finding.IOC-05.explanation':
    'Le téléphone a contacté {host}, un nom fourni par un service gratuit d’adresses dynamiques. Ces services sont bon marché et faciles à changer, et souvent utilisés par des serveurs de logiciels espions.',
  'finding.IOC-06.title': 'Contact avec un nom à terminaison suspecte',
  'finding.IOC-06.explanation':
    'Le téléphone a contacté {host}, un nom qui se termine par .{tld}. Cette terminaison est souvent utilisée par des services malveillants, mais aussi par des services ordinaires.',
  'finding.IOC-07.title': 'Le serveur utilise un certificat connu de logiciel espion',
  'finding.IOC-07.explanation':
    'Le serveur {host} s’est identifié avec un certificat numérique répertorié comme appartenant à {family}.',
  'finding.IOC-08.title': 'Requête non chiffrée vers un serveur espion connu',
  'finding.IOC-08.explanation':
    'Le téléphone a envoyé des requêtes web non chiffrées à {host}, un nom répertorié comme serveur de {family}.',
  'finding.IOC-09.title': 'Requête non chiffrée vers une adresse dynamique gratuite',
  'finding.IOC-09.explanation':
    'Le téléphone a envoyé des requêtes web non chiffrées à {host}, un nom fourni par un service gratuit d’adresses dynamiques, souvent utilisé par des serveurs de logiciels espions.',
  'finding.IOC-10.title': 'Requête non chiffrée vers un nom à terminaison suspecte',
  'finding.IOC-10.explanation': 'Le téléphone a envoyé des requêtes web non chiffrées à {host}, un nom qui se termine par .{tld}, souvent utilisé par des services malveillants.',
  'finding.IOC-11.title': 'Contact avec le réseau Tor',
  'finding.IOC-11.explanation':
    'Le téléphone a contacté {host}, un relais du réseau d’anonymat Tor. Tor protège la vie privée, mais il cache aussi tout ce qu’une application envoie par ce biais.',
  'finding.IOC-12.title': 'Contact avec un service que des logiciels espions utilisent aussi',
  'finding.IOC-12.explanation':
    'Le téléphone a contacté {host}. C’est un service légitime, mais certains logiciels espions l’utilisent aussi : à lui seul, cela veut dire peu de chose.',
  'finding.IOC-13.title': 'Utilisation d’un service de recherche de noms chiffré',
  'finding.IOC-13.explanation':
    'Le téléphone a contacté {host}, un service qui recherche les noms sous forme chiffrée. Beaucoup de téléphones et de navigateurs le font ; cela signifie que certaines recherches de noms ont échappé à cette vérification.',
  'finding.SSL-04.title': 'Le certificat du serveur nomme un serveur espion',
  'finding.SSL-04.explanation':
    'Le serveur {host} a présenté un certificat établi au nom de {certName}, un nom répertorié comme serveur de {family}.',
  'finding.IOC-SNI.title': 'Connexion chiffrée vers un serveur espion connu',
  'finding.IOC-SNI.explanation':
    'Le téléphone a ouvert une connexion chiffrée vers {host}, un nom répertorié comme serveur de {family}. Le contenu est caché, mais pas le nom.',
  'finding.IOC-QUIC-SNI.title': 'Connexion chiffrée vers un serveur espion connu',
  'finding.IOC-QUIC-SNI.explanation':
    'Le téléphone a ouvert une connexion chiffrée (QUIC) vers {host}, un nom répertorié comme serveur de {family}. Le contenu est caché, mais pas le nom.',
  'finding.IOC-CNAME.title': 'Un nom menait à un serveur espion connu',
  'finding.IOC-CNAME.explanation':
    'Le téléphone a recherché {host}, qui renvoyait en fait vers {cname}, un nom répertorié comme serveur de {family}.',
  'finding.IOC-JA3.title': 'Connexion chiffrée avec une empreinte vue chez des logiciels espions',
  'finding.IOC-JA3.explanation':
    'La manière dont une connexion chiffrée vers {host} a été établie correspond à une empreinte répertoriée pour {family}. Beaucoup d’applications ordinaires partagent ces empreintes : c’est un indice, pas une preuve.',
  'finding.IOC-JA4.title': 'Connexion chiffrée avec une empreinte vue chez des logiciels espions',
  'finding.IOC-JA4.explanation':
    'La manière dont une connexion chiffrée vers {host} a été établie correspond à une empreinte répertoriée pour {family}. Beaucoup d’applications ordinaires partagent ces empreintes : c’est un indice, pas une preuve.',
  'finding.IOC-WEBSITE.title': 'Visite du site d’un vendeur de logiciel espion',
  'finding.IOC-WEBSITE.explanation':
    'Le téléphone a visité {host}, le site où {family} est vendu ou téléchargé. Cela ne prouve pas que l’application est installée, mais quelqu’un l’a peut-être achetée ou installée depuis ce téléphone.',
  'finding.IOC-URL.title': 'Requête non chiffrée vers une adresse espion connue',
  'finding.IOC-URL.explanation': 'Le téléphone a demandé {url}, une adresse web répertoriée comme utilisée par {family}.',
  'finding.IOC-NS.title': 'Nom géré par un serveur de noms suspect',
  'finding.IOC-NS.explanation':
    'Le téléphone a recherché {host}, dont les adresses sont gérées par {nameserver}, un serveur de noms répertorié comme suspect.',
  'finding.IOC-PAYLOAD.title': 'Données envoyées d’une manière connue de logiciel espion',
  'finding.IOC-PAYLOAD.explanation':
    'Le téléphone a échangé avec {host} (port {port}) des données qui correspondent à la façon dont {family} transmet ce qu’il recueille.',
  'finding.PROTO-01.title': 'Type de trafic inhabituel',
  'finding.PROTO-01.explanation':
    'Le téléphone a échangé du trafic {proto} avec {host} sur le port {port}, qu’aucun service courant de téléphone n’utilise. Certains logiciels espions utilisent des canaux inhabituels comme celui-ci.',
  'finding.PROTO-02.title': 'Connexion sur un port inhabituel',
  'finding.PROTO-02.explanation':
    'Le téléphone s’est connecté à {host} sur le port {port}, que les applications courantes utilisent rarement. Cela peut être sans danger, mais les serveurs espions bon marché écoutent souvent sur de tels ports.',
  'finding.PROTO-03.title': 'Trafic web non chiffré',
  'finding.PROTO-03.explanation':
    'Le téléphone a envoyé des requêtes web à {host} sans chiffrement. N’importe qui sur le même réseau pouvait les lire. Beaucoup d’anciennes applications le font encore.',
  'finding.PROTO-04.title': 'Trafic web non chiffré sur un port inhabituel',
  'finding.PROTO-04.explanation':
    'Le téléphone a envoyé des requêtes web non chiffrées à {host} sur le port {port}. Les sites ordinaires le font rarement ; certains logiciels espions le font.',
  'finding.PROTO-05.title': 'Serveur contacté sans recherche de son nom',
  'finding.PROTO-05.explanation':
    'Le téléphone a contacté {host} sans rechercher de nom pour lui pendant l’enregistrement. L’adresse est peut-être intégrée à une application, ou elle a été recherchée avant le début de l’enregistrement.',
  'finding.SSL-01.title': 'Connexion chiffrée sur un port inhabituel',
  'finding.SSL-01.explanation':
    'Le téléphone a ouvert une connexion chiffrée vers {host} sur le port {port}. Les sites ordinaires utilisent le port 443 ; les serveurs espions utilisent parfois d’autres ports.',
  'finding.SSL-02.title': 'Certificat d’un fournisseur gratuit',
  'finding.SSL-02.explanation':
    'Le serveur {host} utilise un certificat gratuit de {issuer}. C’est le cas de très nombreux sites normaux ; ce point n’est noté que parce que les serveurs espions le font aussi.',
  'finding.SSL-03.title': 'Certificat fait maison',
  'finding.SSL-03.explanation':
    'Le serveur {host} s’est identifié avec un certificat qu’il a créé lui-même ({subject}) et dont personne ne se porte garant. Les services normaux le font rarement.',
  'finding.SSL-EXPIRED.title': 'Certificat expiré',
  'finding.SSL-EXPIRED.explanation':
    'Le serveur {host} a utilisé un certificat déjà expiré ({notAfter}). Les services bien tenus renouvellent leurs certificats ; les serveurs négligés ou improvisés souvent pas.',
  'finding.SSL-NOT-YET-VALID.title': 'Certificat pas encore valide',
  'finding.SSL-NOT-YET-VALID.explanation':
    'Le serveur {host} a utilisé un certificat valable seulement à partir du {notBefore}. Cela arrive avec des serveurs improvisés, ou quand une horloge est fausse.',
  'finding.SSL-NAME-MISMATCH.title': 'Le certificat ne correspond pas au nom',
  'finding.SSL-NAME-MISMATCH.explanation':
    'Le téléphone a demandé {host}, mais le certificat du serveur est établi pour d’autres noms ({certNames}). Les applications normales refusent une telle connexion ; certains logiciels espions ne vérifient pas.',
  'finding.BEH-BEACON.title': 'Contacts réguliers avec le même serveur',
  'finding.BEH-BEACON.explanation':
    'Le téléphone a contacté {host} {count} fois, environ toutes les {period}, de façon très régulière. Les logiciels espions se signalent souvent selon un horaire fixe, mais certaines applications ordinaires aussi.',
  'finding.BEH-UPLOAD.title': 'Beaucoup plus de données envoyées que reçues',
  'finding.BEH-UPLOAD.explanation':
    'Le téléphone a envoyé {bytesUp} à {host} et n’a reçu que {bytesDown}. Envoyer beaucoup de données, c’est ce que fait un logiciel espion avec des photos ou des enregistrements, mais les sauvegardes et les envois de fichiers se ressemblent.',
  'finding.BEH-DOT.title': 'Recherches de noms chiffrées',
  'finding.BEH-DOT.explanation':
    'Le téléphone a recherché des noms par un service chiffré à {host}. Cela protège la vie privée, mais cache aussi ces recherches à cette vérification.',
  'finding.BEH-DOH.title': 'Recherches de noms chiffrées',
  'finding.BEH-DOH.explanation':
    'Le téléphone a utilisé {resolver} pour rechercher des noms sous forme chiffrée. Cela protège la vie privée, mais cache aussi ces recherches à cette vérification.',
  'finding.BEH-DEVICE-NAME.title': 'Le nom du téléphone a été envoyé sans chiffrement',
  'finding.BEH-DEVICE-NAME.explanation':
    'Le nom du téléphone ({deviceName}) a été envoyé sans chiffrement à {host}. Certaines applications de pistage signalent ainsi sur quel appareil elles se trouvent.',
  'finding.BEH-HOTSPOT-NAME.title': 'Le nom du Wi-Fi a été envoyé sans chiffrement',
  'finding.BEH-HOTSPOT-NAME.explanation':
    'Le nom du réseau Wi-Fi utilisé par le téléphone ({hotspotName}) a été envoyé sans chiffrement à {host}. Une application signale peut-être où se trouve le téléphone.',
  'finding.BEH-VPN.title': 'Tunnel VPN',
  'finding.BEH-VPN.explanation':
    'Le téléphone a utilisé un tunnel VPN {protocol} vers {host}. Ce qui passe dans le tunnel ne peut pas être vérifié. Si vous n’avez pas installé de VPN vous-même, signalez-le à un ou une spécialiste.',
  'finding.BEH-TOR.title': 'Connexion qui ressemble à Tor',
  'finding.BEH-TOR.explanation':
    'Une connexion vers {host} ressemble au réseau d’anonymat Tor. Tout ce qui passe par elle échappe à cette vérification.',
  'finding.ADV-01.title': 'Plusieurs signes désignent ce serveur',
  'finding.ADV-01.explanation':
    '{count} signes différents ont été trouvés pour {host} ({rules}). Pris ensemble, ils en disent plus que chacun séparément.',
  'finding.familyUnknown': 'logiciel espion',
  'finding.unknown.title': 'Constat {id}',
  'finding.unknown.explanation': 'La règle de détection {id} a signalé ce serveur.',

  // ---------------------------------------------------------------- technical appendix
  'appendix.heading': 'Détails techniques (pour spécialistes)',
  'appendix.capture.heading': 'L’enregistrement',
  'appendix.sha256': 'SHA-256 du fichier',
  'appendix.fileName': 'Fichier',
  'appendix.format': 'Format',
  'appendix.duration': 'Durée',
  'appendix.packets': 'Paquets',
  'appendix.bytes': 'Volume du trafic',
  'appendix.firstSeen': 'Premier paquet',
  'appendix.lastSeen': 'Dernier paquet',
  'appendix.timeline.heading': 'Trafic au fil du temps',
  'appendix.timeline.caption': 'Octets par tranche de {bucket}. Les marques rouges indiquent quand quelque chose a été trouvé.',
  'appendix.timeline.empty': 'Aucun trafic à représenter.',
  'appendix.connections.heading': 'Connexions',
  'appendix.more': '{count} lignes de plus ne sont pas affichées.',
  'appendix.dns.heading': 'Noms recherchés (DNS)',
  'appendix.tls.heading': 'Connexions chiffrées et certificats (TLS, QUIC)',
  'appendix.http.heading': 'Requêtes web non chiffrées (HTTP)',
  'appendix.feeds.heading': 'Listes d’indicateurs utilisées',
  'appendix.feeds.none': 'Aucune liste d’indicateurs n’a été chargée.',
  'appendix.allowed.heading': 'Serveurs autorisés',
  'appendix.none': 'Aucun.',
  'appendix.noAnswer': 'pas de réponse',
  'col.proto': 'Protocole',
  'col.client': 'De',
  'col.server': 'Vers',
  'col.port': 'Port',
  'col.names': 'Noms',
  'col.service': 'Service',
  'col.packets': 'Paquets',
  'col.sent': 'Envoyé',
  'col.received': 'Reçu',
  'col.first': 'Vu en premier',
  'col.duration': 'Durée',
  'col.time': 'Heure',
  'col.name': 'Nom',
  'col.type': 'Type',
  'col.answers': 'Réponses',
  'col.sni': 'Nom du serveur',
  'col.certificate': 'Certificat',
  'col.issuer': 'Émetteur',
  'col.validity': 'Validité',
  'col.method': 'Requête',
  'col.host': 'Hôte',
  'col.feed': 'Liste',
  'col.version': 'Version',
  'col.date': 'Mise à jour',
  'col.entries': 'Entrées',
  'col.role': 'Rôle',
  'col.allowedBy': 'Autorisé par',
  'col.silenced': 'Non signalé',
  'feed.role.block': 'indicateurs',
  'feed.role.allow': 'liste d’autorisation',
  'cert.selfSigned': 'auto-signé',

  // ---------------------------------------------------------------- units and dates
  'date.utc': '{date} UTC',
  'date.unknown': 'à une date inconnue',
  'duration.seconds': '{s} s',
  'duration.minutes': '{m} min {s} s',
  'duration.hours': '{h} h {m} min',
  'size.B': '{n} octets',
  'size.KB': '{n} Ko',
  'size.MB': '{n} Mo',
  'size.GB': '{n} Go',
  'bucket.seconds': '{n} secondes',
  'bucket.minutes': '{n} minutes',
  'bucket.hours': '{n} heures',

  // ---------------------------------------------------------------- quietcheck analyze (terminal)
  'cli.reading': 'Lecture de {file}…',
  'cli.loadingFiles': 'Chargement de {count} fichiers d’indicateurs…',
  'cli.loadingStore': 'Chargement des listes d’indicateurs depuis {dir}…',
  'cli.noFeeds': 'Aucune liste d’indicateurs trouvée : seuls les comportements suspects seront recherchés. Lancez d’abord « quietcheck indicators update ».',
  'cli.rendering': 'Écriture du rapport {format}…',
  'cli.written': 'Rapport écrit dans {file}',
  'cli.verdict': 'Résultat : {level}. {summary}',
  'cli.pdfMissing':
    'Impossible de créer un PDF : Chromium est introuvable à {path}. Installez-le (Debian/Ubuntu : sudo apt install chromium) ou utilisez --format html et imprimez la page depuis un navigateur.',
  'cli.pdfFailed': 'Chromium n’a pas pu imprimer le PDF : {reason}',
  'cli.error.noFile': '{file} : fichier introuvable',
  'cli.error.denied': '{file} : accès refusé',
  'cli.error.isDir': '{file} : c’est un dossier, pas un fichier',
  'cli.pdfToTerminal': 'Un PDF ne peut pas s’afficher dans le terminal : indiquez un fichier avec -o rapport.pdf.',
};
