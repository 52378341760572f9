/** Español. Trato de usted, palabras sencillas; los términos técnicos quedan en el anexo. */
export const es: Record<string, string> = {
  'level.high': 'Alto',
  'level.moderate': 'Moderado',
  'level.low': 'Bajo',
  'level.none': 'Ninguno',

  // ---------------------------------------------------------------- verdict
  'verdict.high.headline': 'Es muy probable que haya un programa espía en este teléfono',
  'verdict.moderate.headline': 'Se encontró algo sospechoso',
  'verdict.low.headline': 'No se encontró nada preocupante',
  'verdict.none.headline': 'No se encontró ninguna señal de programa espía',
  'verdict.high.meaning':
    'El teléfono se comunicó con servidores que se sabe que usan programas espía (stalkerware). Lo más probable es que alguien haya instalado una aplicación que recoge en secreto lo que pasa en este teléfono y se lo envía. No es culpa suya, y no está sola ni solo: los servicios de apoyo conocen bien esta situación y pueden ayudarle.',
  'verdict.moderate.meaning':
    'La comprobación encontró señales que pueden ser inofensivas, pero que también son típicas de los programas espía. Conviene que las revise alguien que conozca los teléfonos y la seguridad digital, por ejemplo una persona especialista de un servicio de apoyo.',
  'verdict.low.meaning':
    'La comprobación solo encontró cosas pequeñas que también hacen las aplicaciones normales. Por sí solas no son motivo de preocupación.',
  'verdict.none.meaning':
    'Mientras se comprobaba, el teléfono no se comunicó con ningún servidor conocido de programas espía y nada parecía sospechoso. Es una buena noticia, pero no una garantía: lea lo que esta comprobación no podía ver.',
  'verdict.summary.high.family.one': 'Este teléfono contactó con {count} servidor usado por {family}.',
  'verdict.summary.high.family.other': 'Este teléfono contactó con {count} servidores usados por {family}.',
  'verdict.summary.high.nofamily.one': 'Se encontraron señales claras de programa espía en {count} servidor.',
  'verdict.summary.high.nofamily.other': 'Se encontraron señales claras de programa espía en {count} servidores.',
  'verdict.summary.linked':
    'Este teléfono contactó con un sitio web o un servidor relacionado con {family}. Puede que alguien haya consultado este programa espía o que lo haya instalado.',
  'verdict.summary.moderate.one': 'Se encontró {count} señal sospechosa.',
  'verdict.summary.moderate.other': 'Se encontraron {count} señales sospechosas.',
  'verdict.summary.low.one': 'Se encontró {count} señal menor, de las que también muestran las aplicaciones normales.',
  'verdict.summary.low.other': 'Se encontraron {count} señales menores, de las que también muestran las aplicaciones normales.',
  'verdict.summary.none': 'En esta grabación no se encontró nada relacionado con programas espía.',

  // ---------------------------------------------------------------- limits
  'limit.capture': 'La grabación del tráfico del teléfono duró {duration} y contiene {packets} paquetes ({size}).',
  'limit.short':
    'Es una grabación corta o con poca actividad. Un programa espía puede enviar sus datos solo cada pocas horas, o solo cuando el teléfono se usa o se está cargando, así que una grabación corta puede no detectarlo. Si puede, vuelva a grabar durante al menos {minutes} minutos mientras el teléfono se usa con normalidad.',
  'limit.damaged': 'El archivo de la grabación está dañado o cortado: solo se comprobó la parte anterior al daño.',
  'limit.noFeeds':
    'No se cargó ninguna lista de servidores conocidos de programas espía, así que no se podían reconocer los programas espía conocidos: solo se buscó comportamiento sospechoso. Cargue las listas (quietcheck indicators update) y vuelva a comprobar.',
  'limit.feeds.one': 'La comprobación usó {count} lista de servidores y señales conocidos de programas espía ({indicators} entradas), actualizada el {date}.',
  'limit.feeds.other': 'La comprobación usó {count} listas de servidores y señales conocidos de programas espía ({indicators} entradas), actualizadas entre el {oldest} y el {date}.',
  'limit.feedsOld':
    'La lista más antigua tiene {days} días. Aparecen nuevos servidores de programas espía continuamente: actualice las listas y vuelva a comprobar.',
  'limit.feedFailed': 'La lista {feed} no se pudo actualizar la última vez que se intentó; se usó una copia anterior.',
  'limit.hidden.vpn.one':
    '{count} conexión parecía un túnel VPN o Tor. Lo que viaja por dentro de ese túnel queda oculto para esta comprobación.',
  'limit.hidden.vpn.other':
    '{count} conexiones parecían túneles VPN o Tor. Lo que viaja por dentro de esos túneles queda oculto para esta comprobación.',
  'limit.hidden.dns.one':
    '{count} conexión llevaba búsquedas de nombres cifradas (DNS sobre TLS o HTTPS). Los nombres buscados por esa vía no se pudieron comprobar.',
  'limit.hidden.dns.other':
    '{count} conexiones llevaban búsquedas de nombres cifradas (DNS sobre TLS o HTTPS). Los nombres buscados por esa vía no se pudieron comprobar.',
  'limit.hidden.noname.one':
    '{count} conexión cifrada no reveló el nombre del servidor; solo se pudo comprobar su dirección.',
  'limit.hidden.noname.other':
    '{count} conexiones cifradas no revelaron el nombre del servidor; solo se pudieron comprobar sus direcciones.',
  'limit.encrypted':
    'La mayor parte del tráfico está cifrada. La comprobación ve con qué servidores habla el teléfono, no lo que les envía.',
  'limit.notProof':
    'No encontrar nada no demuestra que un teléfono esté limpio. Un programa espía que estuvo en silencio durante la grabación, que es demasiado nuevo para estar en las listas o que funciona a través de las cuentas en línea del teléfono (por ejemplo, una contraseña de Google o Apple que la otra persona conoce) no aparece aquí.',

  // ---------------------------------------------------------------- what to do now
  'guidance.heading': 'Qué hacer ahora',
  'guidance.intro': 'Su seguridad es lo primero. Tómese su tiempo: nada de esto tiene que hacerse hoy.',
  'guidance.noRush.title': 'No se apresure a borrar nada',
  'guidance.noRush.text':
    'Borrar una aplicación, restablecer el teléfono o enfrentarse a la persona puede avisarle de que usted lo sabe. Eso puede volverla más peligrosa y, además, borra pruebas. Decida cuándo y cómo ocuparse del teléfono junto con un servicio de apoyo.',
  'guidance.plan.title': 'Haga un plan de seguridad con personas que conocen estas situaciones',
  'guidance.plan.text':
    'Un servicio de atención a víctimas de violencia de género o doméstica cercano puede ayudarle a planificar su seguridad: qué hacer con el teléfono, cómo comunicarse de forma segura y qué hacer si la situación empeora. Su ayuda es confidencial.',
  'guidance.evidence.title': 'Guarde este informe como prueba',
  'guidance.evidence.text':
    'Guarde este informe donde la otra persona no pueda encontrarlo: no en el teléfono comprobado ni en una cuenta que pueda abrir. Puede servir a un servicio de apoyo, a su abogada o abogado o a la policía.',
  'guidance.device.title': 'Busque ayuda desde un dispositivo más seguro',
  'guidance.device.text':
    'Si el teléfono puede estar vigilado, use un dispositivo al que la otra persona nunca haya tenido acceso (el teléfono de una amistad, un ordenador de una biblioteca o del servicio de apoyo) para buscar ayuda o hacer planes.',
  'guidance.trust.title': 'Si sigue sintiéndose vigilada o vigilado, confíe en esa sensación',
  'guidance.trust.text':
    'También se puede seguir a alguien sin programas espía: con una contraseña conocida de sus cuentas de Google, Apple o redes sociales, la ubicación compartida, un plan familiar compartido, una etiqueta de localización escondida o regalos como un segundo teléfono. Un servicio de apoyo puede ayudarle a revisar todo esto.',
  'guidance.help.title': 'Dónde encontrar ayuda',
  'guidance.help.text':
    'Si está en peligro ahora mismo, llame al número de emergencias local (112 en Europa, 911 en gran parte de América). Las líneas de ayuda contra la violencia de género son gratuitas y confidenciales, por ejemplo:',
  'guidance.help.numbers':
    'España: 016 (no deja rastro en la factura, aunque conviene borrarlo del registro de llamadas)\nEn otros lugares: pida al servicio que hizo esta comprobación con usted el número de una línea de ayuda local',

  // ---------------------------------------------------------------- report body
  'report.title': 'Informe de comprobación del teléfono',
  'report.madeOn': 'Elaborado el {date} con quietcheck {version}.',
  'report.file': 'Grabación comprobada: {file}',
  'report.privateNote':
    'Este informe trata de un teléfono que alguien podría estar vigilando. Guárdelo donde solo usted y las personas de su confianza puedan abrirlo.',
  'report.result': 'Resultado: {level}',
  'report.meaning.heading': 'Qué significa',
  'report.limits.heading': 'Lo que esta comprobación podía ver y lo que no',
  'report.findings.heading': 'Qué se encontró',
  'report.findings.intro': 'Cada servidor con el que habló el teléfono aparece una vez, con todo lo encontrado sobre él.',
  'report.findings.none': 'No se encontró nada sospechoso.',
  'report.findings.minor.one': '{count} servidor con solo señales menores, de las que también muestran las aplicaciones normales',
  'report.findings.minor.other': '{count} servidores con solo señales menores, de las que también muestran las aplicaciones normales',
  'report.finding.family': 'Relacionado con: {family}',
  'report.finding.basedOn': 'Según la entrada «{value}» ({kind}) de la lista {feed}, versión {version}, actualizada el {date}.',
  'report.finding.alsoAllowed':
    '{allowed} está en la lista de servicios conocidos ({feed}), pero este nombre exacto figura como servidor de un programa espía.',
  'report.finding.evidence': 'Lo que se observó',
  'report.capabilities.heading': 'Lo que puede ver un programa espía así:',
  'capabilities.stalkerware':
    'Un programa espía como {family} suele poder leer mensajes y chats, ver fotos, seguir la ubicación del teléfono, ver llamadas y contactos y, a veces, grabar llamadas o el sonido del entorno. Envía todo esto a la persona que lo instaló.',
  'capabilities.watchware':
    '{family} se vende para vigilar a niñas y niños o para encontrar un teléfono. Escondido en el teléfono de una persona adulta, permite seguir dónde está el teléfono y, a menudo, ver mensajes y actividad.',
  'capabilities.spyware':
    '{family} es un programa espía avanzado. Puede tomar el control de todo el teléfono: mensajes, llamadas, cámara, micrófono, archivos y contraseñas.',
  'capabilities.generic':
    'Un programa espía suele poder leer mensajes, ver fotos, seguir la ubicación del teléfono, ver llamadas y contactos, y enviar todo esto a otra persona.',
  'report.allowed.heading': 'Servicios conocidos que se dejaron fuera',
  'report.allowed.intro':
    'Estos servidores pertenecen a servicios conocidos de una lista de permitidos, así que no se contaron como sospechosos.',
  'report.footer':
    'Este informe se elaboró en este ordenador. Nada de la grabación se envió a ningún sitio.',

  // ---------------------------------------------------------------- findings (src/detect rule ids)
  'finding.IOC-01.title': 'Conexión a la dirección de un servidor espía conocido',
  'finding.IOC-01.explanation':
    'El teléfono se conectó a {host} (puerto {port}), una dirección que figura como servidor de {family}. Los programas espía envían lo que recogen a servidores como este.',
  'finding.IOC-02.title': 'Conexión a una red usada por programas espía',
  'finding.IOC-02.explanation':
    'El teléfono se conectó a {host}, que está dentro de un rango de direcciones ({indicator}) que figura como infraestructura de programas espía o sospechosa.',
  'finding.IOC-03.title': 'Búsqueda del nombre de un servidor espía conocido',
  'finding.IOC-03.explanation':
    'El teléfono pidió la dirección de {host}, un nombre que figura como servidor de {family}. Aunque el servidor ya no responda, solo una aplicación que conoce este nombre lo pide.',
  'finding.IOC-04.title': 'Contacto con un rastreador usado por programas espía',
  'finding.IOC-04.explanation': 'El teléfono contactó con {host}, un nombre que figura como servicio de rastreo usado por programas espía.',
  'finding.IOC-05.title': 'Contacto con una dirección dinámica gratuita',
  'finding.IOC-05.explanation':
    'El teléfono contactó con {host}, un nombre de un servicio gratuito de direcciones dinámicas. Estos servicios son baratos y fáciles de cambiar, y los servidores de programas espía los usan a menudo.',
  'finding.IOC-06.title': 'Contacto con un nombre de terminación sospechosa',
  'finding.IOC-06.explanation':
    'El teléfono contactó con {host}, un nombre que termina en .{tld}. Esta terminación la usan a menudo servicios abusivos, pero también servicios normales.',
  'finding.IOC-07.title': 'El servidor usó un certificado conocido de programas espía',
  'finding.IOC-07.explanation':
    'El servidor {host} se identificó con un certificado digital que figura como perteneciente a {family}.',
  'finding.IOC-08.title': 'Petición sin cifrar a un servidor espía conocido',
  'finding.IOC-08.explanation':
    'El teléfono envió peticiones web sin cifrar a {host}, un nombre que figura como servidor de {family}.',
  'finding.IOC-09.title': 'Petición sin cifrar a una dirección dinámica gratuita',
  'finding.IOC-09.explanation':
    'El teléfono envió peticiones web sin cifrar a {host}, un nombre de un servicio gratuito de direcciones dinámicas que usan a menudo los servidores de programas espía.',
  'finding.IOC-10.title': 'Petición sin cifrar a un nombre de terminación sospechosa',
  'finding.IOC-10.explanation': 'El teléfono envió peticiones web sin cifrar a {host}, un nombre que termina en .{tld}, que usan a menudo servicios abusivos.',
  'finding.IOC-11.title': 'Contacto con la red Tor',
  'finding.IOC-11.explanation':
    'El teléfono contactó con {host}, un repetidor de la red de anonimato Tor. Tor protege la privacidad, pero también oculta todo lo que una aplicación envía a través de ella.',
  'finding.IOC-12.title': 'Contacto con un servicio que también usan programas espía',
  'finding.IOC-12.explanation':
    'El teléfono contactó con {host}. Es un servicio legítimo, pero algunos programas espía también lo usan, así que por sí solo significa poco.',
  'finding.IOC-13.title': 'Uso de un servicio de búsqueda de nombres cifrado',
  'finding.IOC-13.explanation':
    'El teléfono contactó con {host}, un servicio que busca nombres de forma cifrada. Muchos teléfonos y navegadores lo hacen; significa que algunas búsquedas de nombres quedaron ocultas para esta comprobación.',
  'finding.SSL-04.title': 'El certificado del servidor nombra un servidor espía',
  'finding.SSL-04.explanation':
    'El servidor {host} presentó un certificado a nombre de {certName}, un nombre que figura como servidor de {family}.',
  'finding.IOC-SNI.title': 'Conexión cifrada a un servidor espía conocido',
  'finding.IOC-SNI.explanation':
    'El teléfono abrió una conexión cifrada con {host}, un nombre que figura como servidor de {family}. El contenido está oculto, pero el nombre no.',
  'finding.IOC-QUIC-SNI.title': 'Conexión cifrada a un servidor espía conocido',
  'finding.IOC-QUIC-SNI.explanation':
    'El teléfono abrió una conexión cifrada (QUIC) con {host}, un nombre que figura como servidor de {family}. El contenido está oculto, pero el nombre no.',
  'finding.IOC-CNAME.title': 'Un nombre llevaba a un servidor espía conocido',
  'finding.IOC-CNAME.explanation':
    'El teléfono buscó {host}, que en realidad apuntaba a {cname}, un nombre que figura como servidor de {family}.',
  'finding.IOC-JA3.title': 'Conexión cifrada con una huella vista en programas espía',
  'finding.IOC-JA3.explanation':
    'La forma en que se estableció una conexión cifrada con {host} coincide con una huella que figura para {family}. Muchas aplicaciones normales comparten estas huellas, así que es un indicio, no una prueba.',
  'finding.IOC-JA4.title': 'Conexión cifrada con una huella vista en programas espía',
  'finding.IOC-JA4.explanation':
    'La forma en que se estableció una conexión cifrada con {host} coincide con una huella que figura para {family}. Muchas aplicaciones normales comparten estas huellas, así que es un indicio, no una prueba.',
  'finding.IOC-WEBSITE.title': 'Visita al sitio web de un vendedor de programas espía',
  'finding.IOC-WEBSITE.explanation':
    'El teléfono visitó {host}, el sitio donde se vende o se descarga {family}. Esto no demuestra que la aplicación esté instalada, pero puede que alguien la comprara o la instalara desde este teléfono.',
  'finding.IOC-URL.title': 'Petición sin cifrar a una dirección espía conocida',
  'finding.IOC-URL.explanation': 'El teléfono pidió {url}, una dirección web que figura como usada por {family}.',
  'finding.IOC-NS.title': 'Nombre gestionado por un servidor de nombres sospechoso',
  'finding.IOC-NS.explanation':
    'El teléfono buscó {host}, cuyas direcciones gestiona {nameserver}, un servidor de nombres que figura como sospechoso.',
  'finding.IOC-PAYLOAD.title': 'Datos enviados de una forma conocida de programas espía',
  'finding.IOC-PAYLOAD.explanation':
    'El teléfono intercambió con {host} (puerto {port}) datos que coinciden con la forma en que {family} envía lo que recoge.',
  'finding.PROTO-01.title': 'Tipo de tráfico poco habitual',
  'finding.PROTO-01.explanation':
    'El teléfono intercambió tráfico {proto} con {host} en el puerto {port}, que no usa ningún servicio habitual de teléfono. Algunos programas espía usan canales poco habituales como este.',
  'finding.PROTO-02.title': 'Conexión en un puerto poco habitual',
  'finding.PROTO-02.explanation':
    'El teléfono se conectó a {host} en el puerto {port}, que las aplicaciones habituales usan poco. Puede ser inofensivo, pero los servidores espía baratos suelen escuchar en puertos así.',
  'finding.PROTO-03.title': 'Tráfico web sin cifrar',
  'finding.PROTO-03.explanation':
    'El teléfono envió peticiones web a {host} sin cifrar. Cualquiera en la misma red podía leerlas. Muchas aplicaciones antiguas todavía lo hacen.',
  'finding.PROTO-04.title': 'Tráfico web sin cifrar en un puerto poco habitual',
  'finding.PROTO-04.explanation':
    'El teléfono envió peticiones web sin cifrar a {host} en el puerto {port}. Los sitios web normales rara vez lo hacen; algunos programas espía sí.',
  'finding.PROTO-05.title': 'Servidor contactado sin buscar su nombre',
  'finding.PROTO-05.explanation':
    'El teléfono contactó con {host} sin buscar ningún nombre para él durante la grabación. La dirección puede estar incluida en una aplicación, o se buscó antes de empezar la grabación.',
  'finding.SSL-01.title': 'Conexión cifrada en un puerto poco habitual',
  'finding.SSL-01.explanation':
    'El teléfono abrió una conexión cifrada con {host} en el puerto {port}. Los sitios web normales usan el puerto 443; los servidores espía a veces usan otros.',
  'finding.SSL-02.title': 'Certificado de un proveedor gratuito',
  'finding.SSL-02.explanation':
    'El servidor {host} usa un certificado gratuito de {issuer}. Muchísimos sitios web normales lo hacen; se indica solo porque los servidores espía también lo hacen.',
  'finding.SSL-03.title': 'Certificado hecho por el propio servidor',
  'finding.SSL-03.explanation':
    'El servidor {host} se identificó con un certificado que creó él mismo ({subject}) y que nadie avala. Los servicios normales rara vez lo hacen.',
  'finding.SSL-EXPIRED.title': 'Certificado caducado',
  'finding.SSL-EXPIRED.explanation':
    'El servidor {host} usó un certificado que ya había caducado ({notAfter}). Los servicios bien mantenidos renuevan sus certificados; los servidores descuidados o improvisados a menudo no.',
  'finding.SSL-NOT-YET-VALID.title': 'Certificado todavía no válido',
  'finding.SSL-NOT-YET-VALID.explanation':
    'El servidor {host} usó un certificado que solo era válido a partir del {notBefore}. Ocurre con servidores improvisados o cuando un reloj está mal.',
  'finding.SSL-NAME-MISMATCH.title': 'El certificado no coincide con el nombre',
  'finding.SSL-NAME-MISMATCH.explanation':
    'El teléfono pidió {host}, pero el certificado del servidor está a nombre de otros nombres ({certNames}). Las aplicaciones normales rechazan una conexión así; algunos programas espía no lo comprueban.',
  'finding.BEH-BEACON.title': 'Contacto regular con el mismo servidor',
  'finding.BEH-BEACON.explanation':
    'El teléfono contactó con {host} {count} veces, aproximadamente cada {period}, de forma muy regular. Los programas espía suelen comunicarse con un horario fijo, pero algunas aplicaciones normales también.',
  'finding.BEH-UPLOAD.title': 'Muchos más datos enviados que recibidos',
  'finding.BEH-UPLOAD.explanation':
    'El teléfono envió {bytesUp} a {host} y solo recibió {bytesDown}. Enviar muchos datos es lo que hace un programa espía con fotos o grabaciones, pero las copias de seguridad y las subidas de archivos se ven igual.',
  'finding.BEH-DOT.title': 'Búsquedas de nombres cifradas',
  'finding.BEH-DOT.explanation':
    'El teléfono buscó nombres a través de un servicio cifrado en {host}. Eso protege la privacidad, pero también oculta esas búsquedas a esta comprobación.',
  'finding.BEH-DOH.title': 'Búsquedas de nombres cifradas',
  'finding.BEH-DOH.explanation':
    'El teléfono usó {resolver} para buscar nombres de forma cifrada. Eso protege la privacidad, pero también oculta esas búsquedas a esta comprobación.',
  'finding.BEH-DEVICE-NAME.title': 'El nombre del teléfono se envió sin cifrar',
  'finding.BEH-DEVICE-NAME.explanation':
    'El nombre del propio teléfono ({deviceName}) se envió sin cifrar a {host}. Algunas aplicaciones de rastreo informan así del dispositivo en el que están.',
  'finding.BEH-HOTSPOT-NAME.title': 'El nombre de la red wifi se envió sin cifrar',
  'finding.BEH-HOTSPOT-NAME.explanation':
    'El nombre de la red wifi que usó el teléfono ({hotspotName}) se envió sin cifrar a {host}. Puede que una aplicación esté informando de dónde está el teléfono.',
  'finding.BEH-VPN.title': 'Túnel VPN',
  'finding.BEH-VPN.explanation':
    'El teléfono usó un túnel VPN {protocol} hacia {host}. Lo que viaja dentro del túnel no se puede comprobar. Si usted no configuró una VPN, coménteselo a una persona especialista.',
  'finding.BEH-TOR.title': 'Conexión que parece Tor',
  'finding.BEH-TOR.explanation':
    'Una conexión con {host} parece de la red de anonimato Tor. Todo lo que se envía por ella queda oculto para esta comprobación.',
  'finding.ADV-01.title': 'Varias señales apuntan a este servidor',
  'finding.ADV-01.explanation':
    'Se encontraron {count} señales distintas para {host} ({rules}). Juntas dicen más que cada una por separado.',
  'finding.familyUnknown': 'un programa espía',
  'finding.unknown.title': 'Hallazgo {id}',
  'finding.unknown.explanation': 'La regla de detección {id} señaló este servidor.',

  // ---------------------------------------------------------------- technical appendix
  'appendix.heading': 'Detalles técnicos (para especialistas)',
  'appendix.capture.heading': 'La grabación',
  'appendix.sha256': 'SHA-256 del archivo',
  'appendix.fileName': 'Archivo',
  'appendix.format': 'Formato',
  'appendix.duration': 'Duración',
  'appendix.packets': 'Paquetes',
  'appendix.bytes': 'Volumen del tráfico',
  'appendix.firstSeen': 'Primer paquete',
  'appendix.lastSeen': 'Último paquete',
  'appendix.timeline.heading': 'Tráfico a lo largo del tiempo',
  'appendix.timeline.caption': 'Bytes por intervalo de {bucket}. Las marcas rojas indican cuándo se encontró algo.',
  'appendix.timeline.empty': 'No hay tráfico que representar.',
  'appendix.connections.heading': 'Conexiones',
  'appendix.more': 'No se muestran {count} filas más.',
  'appendix.dns.heading': 'Nombres buscados (DNS)',
  'appendix.tls.heading': 'Conexiones cifradas y certificados (TLS, QUIC)',
  'appendix.http.heading': 'Peticiones web sin cifrar (HTTP)',
  'appendix.feeds.heading': 'Listas de indicadores usadas',
  'appendix.feeds.none': 'No se cargó ninguna lista de indicadores.',
  'appendix.allowed.heading': 'Servidores permitidos',
  'appendix.none': 'Ninguno.',
  'appendix.noAnswer': 'sin respuesta',
  'col.proto': 'Protocolo',
  'col.client': 'Desde',
  'col.server': 'Hacia',
  'col.port': 'Puerto',
  'col.names': 'Nombres',
  'col.service': 'Servicio',
  'col.packets': 'Paquetes',
  'col.sent': 'Enviado',
  'col.received': 'Recibido',
  'col.first': 'Visto por primera vez',
  'col.duration': 'Duración',
  'col.time': 'Hora',
  'col.name': 'Nombre',
  'col.type': 'Tipo',
  'col.answers': 'Respuestas',
  'col.sni': 'Nombre del servidor',
  'col.certificate': 'Certificado',
  'col.issuer': 'Emisor',
  'col.validity': 'Validez',
  'col.method': 'Petición',
  'col.host': 'Host',
  'col.feed': 'Lista',
  'col.version': 'Versión',
  'col.date': 'Actualizada',
  'col.entries': 'Entradas',
  'col.role': 'Función',
  'col.allowedBy': 'Permitido por',
  'col.silenced': 'No señalado',
  'feed.role.block': 'indicadores',
  'feed.role.allow': 'lista de permitidos',
  'cert.selfSigned': 'autofirmado',

  // ---------------------------------------------------------------- units and dates
  'date.utc': '{date} UTC',
  'date.unknown': 'en una fecha desconocida',
  'duration.seconds': '{s} s',
  'duration.minutes': '{m} min {s} s',
  'duration.hours': '{h} h {m} min',
  'size.B': '{n} bytes',
  'size.KB': '{n} kB',
  'size.MB': '{n} MB',
  'size.GB': '{n} GB',
  'bucket.seconds': '{n} segundos',
  'bucket.minutes': '{n} minutos',
  'bucket.hours': '{n} horas',

  // ---------------------------------------------------------------- quietcheck analyze (terminal)
  'cli.reading': 'Leyendo {file}…',
  'cli.loadingFiles': 'Cargando {count} archivos de indicadores…',
  'cli.loadingStore': 'Cargando las listas de indicadores desde {dir}…',
  'cli.noFeeds': 'No se encontraron listas de indicadores: solo se buscará comportamiento sospechoso. Ejecute primero «quietcheck indicators update».',
  'cli.rendering': 'Escribiendo el informe {format}…',
  'cli.written': 'Informe escrito en {file}',
  'cli.verdict': 'Resultado: {level}. {summary}',
  'cli.pdfMissing':
    'No se puede crear un PDF: no se encontró Chromium en {path}. Instálelo (Debian/Ubuntu: sudo apt install chromium) o use --format html e imprima la página desde un navegador.',
  'cli.pdfFailed': 'Chromium no pudo imprimir el PDF: {reason}',
  'cli.error.noFile': '{file}: no existe el archivo',
  'cli.error.denied': '{file}: permiso denegado',
  'cli.error.isDir': '{file}: es una carpeta, no un archivo',
  'cli.pdfToTerminal': 'Un PDF no se puede mostrar en la terminal: indique un archivo con -o informe.pdf.',
};
