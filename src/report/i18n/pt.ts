/** Português. Linguagem simples, compreensível em Portugal e no Brasil; termos técnicos ficam no anexo. */
export const pt: Record<string, string> = {
  'level.high': 'Alto',
  'level.moderate': 'Moderado',
  'level.low': 'Baixo',
  'level.none': 'Nenhum',

  // ---------------------------------------------------------------- verdict
  'verdict.high.headline': 'É muito provável que haja um programa espião neste aparelho',
  'verdict.moderate.headline': 'Foi encontrado algo suspeito',
  'verdict.low.headline': 'Não foi encontrado nada preocupante',
  'verdict.none.headline': 'Não foi encontrado nenhum sinal de programa espião',
  'verdict.high.meaning':
    'O aparelho comunicou com servidores que se sabe serem usados por programas espiões (stalkerware). O mais provável é que alguém tenha instalado uma aplicação que recolhe em segredo o que acontece neste aparelho e lho envia. A culpa não é sua, e não está sozinha ou sozinho: os serviços de apoio conhecem bem esta situação e podem ajudar.',
  'verdict.moderate.meaning':
    'A verificação encontrou sinais que podem ser inofensivos, mas que também são típicos de programas espiões. Vale a pena que alguém que conheça aparelhos e segurança digital os analise, por exemplo uma pessoa especialista de um serviço de apoio.',
  'verdict.low.meaning':
    'A verificação só encontrou pequenas coisas que as aplicações comuns também fazem. Por si só, não são motivo de preocupação.',
  'verdict.none.meaning':
    'Durante a verificação, o aparelho não comunicou com nenhum servidor conhecido de programas espiões e nada pareceu suspeito. É uma boa notícia, mas não é uma garantia: leia o que esta verificação não conseguia ver.',
  'verdict.summary.high.family.one': 'Este aparelho contactou {count} servidor usado por {family}.',
  'verdict.summary.high.family.other': 'Este aparelho contactou {count} servidores usados por {family}.',
  'verdict.summary.high.nofamily.one': 'Foram encontrados sinais fortes de programa espião em {count} servidor.',
  'verdict.summary.high.nofamily.other': 'Foram encontrados sinais fortes de programa espião em {count} servidores.',
  'verdict.summary.linked':
    'Este aparelho contactou um site ou servidor ligado a {family}. Talvez alguém tenha procurado este programa espião, ou o tenha instalado.',
  'verdict.summary.moderate.one': 'Foi encontrado {count} sinal suspeito.',
  'verdict.summary.moderate.other': 'Foram encontrados {count} sinais suspeitos.',
  'verdict.summary.low.one': 'Foi encontrado {count} sinal menor, do tipo que as aplicações comuns também mostram.',
  'verdict.summary.low.other': 'Foram encontrados {count} sinais menores, do tipo que as aplicações comuns também mostram.',
  'verdict.summary.none': 'Nesta gravação não foi encontrado nada ligado a programas espiões.',

  // ---------------------------------------------------------------- limits
  'limit.capture': 'A gravação do tráfego do aparelho durou {duration} e contém {packets} pacotes ({size}).',
  'limit.short':
    'É uma gravação curta ou com pouca atividade. Um programa espião pode enviar os seus dados só de poucas em poucas horas, ou só quando o aparelho está a ser usado ou a carregar, por isso uma gravação curta pode não o apanhar. Se puder, grave de novo durante pelo menos {minutes} minutos enquanto o aparelho é usado normalmente.',
  'limit.damaged': 'O ficheiro da gravação está danificado ou cortado: só foi verificada a parte antes do dano.',
  'limit.noFeeds':
    'Não foi carregada nenhuma lista de servidores conhecidos de programas espiões, por isso os programas espiões conhecidos não podiam ser reconhecidos: só se procurou comportamento suspeito. Carregue as listas (quietcheck indicators update) e verifique de novo.',
  'limit.feeds.one': 'A verificação usou {count} lista de servidores e sinais conhecidos de programas espiões ({indicators} entradas), atualizada em {date}.',
  'limit.feeds.other': 'A verificação usou {count} listas de servidores e sinais conhecidos de programas espiões ({indicators} entradas), atualizadas entre {oldest} e {date}.',
  'limit.feedsOld':
    'A lista mais antiga tem {days} dias. Aparecem sempre novos servidores de programas espiões: atualize as listas e verifique de novo.',
  'limit.feedFailed': 'A lista {feed} não pôde ser atualizada na última tentativa; foi usada uma cópia anterior.',
  'limit.hidden.vpn.one':
    '{count} ligação parecia um túnel VPN ou Tor. O que passa dentro de um túnel assim fica escondido desta verificação.',
  'limit.hidden.vpn.other':
    '{count} ligações pareciam túneis VPN ou Tor. O que passa dentro de túneis assim fica escondido desta verificação.',
  'limit.hidden.dns.one':
    '{count} ligação levava pesquisas de nomes cifradas (DNS sobre TLS ou HTTPS). Os nomes pesquisados por essa via não puderam ser verificados.',
  'limit.hidden.dns.other':
    '{count} ligações levavam pesquisas de nomes cifradas (DNS sobre TLS ou HTTPS). Os nomes pesquisados por essa via não puderam ser verificados.',
  'limit.hidden.noname.one':
    '{count} ligação cifrada não revelou o nome do servidor; só foi possível verificar o seu endereço.',
  'limit.hidden.noname.other':
    '{count} ligações cifradas não revelaram o nome do servidor; só foi possível verificar os seus endereços.',
  'limit.encrypted':
    'A maior parte do tráfego está cifrada. A verificação vê com que servidores o aparelho fala, não o que lhes envia.',
  'limit.notProof':
    'Não encontrar nada não prova que um aparelho está limpo. Um programa espião que ficou em silêncio durante a gravação, que é demasiado recente para estar nas listas ou que funciona através das contas online do aparelho (por exemplo, uma palavra-passe do Google ou da Apple que a outra pessoa conhece) não aparece aqui.',

  // ---------------------------------------------------------------- what to do now
  'guidance.heading': 'O que fazer agora',
  'guidance.intro': 'A sua segurança vem primeiro. Tome o seu tempo: nada disto tem de ser feito hoje.',
  'guidance.noRush.title': 'Não se apresse a apagar nada',
  'guidance.noRush.text':
    'Apagar uma aplicação, repor o aparelho ou confrontar a pessoa pode avisá-la de que já sabe. Isso pode torná-la mais perigosa e, além disso, apaga provas. Decida quando e como tratar do aparelho em conjunto com um serviço de apoio.',
  'guidance.plan.title': 'Faça um plano de segurança com quem conhece estas situações',
  'guidance.plan.text':
    'Um serviço de apoio a vítimas de violência doméstica perto de si pode ajudar a planear a sua segurança: o que fazer com o aparelho, como comunicar com segurança e o que fazer se a situação piorar. A ajuda é confidencial.',
  'guidance.evidence.title': 'Guarde este relatório como prova',
  'guidance.evidence.text':
    'Guarde este relatório onde a outra pessoa não o possa encontrar: não no aparelho verificado, nem numa conta que ela possa abrir. Pode ajudar um serviço de apoio, uma advogada ou um advogado, ou a polícia.',
  'guidance.device.title': 'Procure ajuda a partir de um aparelho mais seguro',
  'guidance.device.text':
    'Se o aparelho puder estar a ser vigiado, use um aparelho a que a outra pessoa nunca teve acesso (o telemóvel/celular de uma pessoa amiga, um computador de uma biblioteca ou do serviço de apoio) para procurar ajuda ou fazer planos.',
  'guidance.trust.title': 'Se continua a sentir-se vigiada ou vigiado, confie nessa sensação',
  'guidance.trust.text':
    'Também é possível seguir alguém sem programas espiões: com uma palavra-passe conhecida das suas contas Google, Apple ou de redes sociais, a partilha de localização, um plano familiar partilhado, um localizador escondido ou presentes como um segundo aparelho. Um serviço de apoio pode ajudar a verificar tudo isto.',
  'guidance.help.title': 'Onde encontrar ajuda',
  'guidance.help.text':
    'Se está em perigo agora, ligue para o número de emergência (112 na Europa, 190 no Brasil). As linhas de apoio à violência doméstica são gratuitas e confidenciais, por exemplo:',
  'guidance.help.numbers':
    'Portugal: Serviço de Informação às Vítimas de Violência Doméstica, 800 202 148\nBrasil: Central de Atendimento à Mulher, Ligue 180\nNoutros lugares: peça ao serviço que fez esta verificação consigo o número de uma linha de apoio local',

  // ---------------------------------------------------------------- report body
  'report.title': 'Relatório de verificação do aparelho',
  'report.madeOn': 'Elaborado em {date} com o quietcheck {version}.',
  'report.file': 'Gravação verificada: {file}',
  'report.privateNote':
    'Este relatório descreve um aparelho que alguém pode estar a vigiar. Guarde-o onde só a pessoa e quem for da sua confiança o possam abrir.',
  'report.result': 'Resultado: {level}',
  'report.meaning.heading': 'O que isto significa',
  'report.limits.heading': 'O que esta verificação conseguia ver e o que não conseguia',
  'report.findings.heading': 'O que foi encontrado',
  'report.findings.intro': 'Cada servidor com que o aparelho falou aparece uma vez, com tudo o que foi encontrado sobre ele.',
  'report.findings.none': 'Não foi encontrado nada suspeito.',
  'report.findings.minor.one': '{count} servidor só com sinais menores, do tipo que as aplicações comuns também mostram',
  'report.findings.minor.other': '{count} servidores só com sinais menores, do tipo que as aplicações comuns também mostram',
  'report.finding.family': 'Ligado a: {family}',
  'report.finding.basedOn': 'Com base na entrada «{value}» ({kind}) da lista {feed}, versão {version}, atualizada em {date}.',
  'report.finding.alsoAllowed':
    '{allowed} está na lista de serviços conhecidos ({feed}), mas este nome exato está registado como servidor de um programa espião.',
  'report.finding.evidence': 'O que foi observado',
  'report.capabilities.heading': 'O que um programa espião destes consegue ver:',
  'capabilities.stalkerware':
    'Um programa espião como o {family} consegue normalmente ler mensagens e conversas, ver fotografias, seguir a localização do aparelho, ver chamadas e contactos e, por vezes, gravar chamadas ou o som à volta. Envia tudo isto à pessoa que o instalou.',
  'capabilities.watchware':
    '{family} é vendido para vigiar crianças ou encontrar um aparelho. Escondido no aparelho de uma pessoa adulta, permite seguir onde o aparelho está e muitas vezes ver mensagens e atividade.',
  'capabilities.spyware':
    '{family} é um programa espião avançado. Pode tomar conta de todo o aparelho: mensagens, chamadas, câmara, microfone, ficheiros e palavras-passe.',
  'capabilities.generic':
    'Um programa espião consegue normalmente ler mensagens, ver fotografias, seguir a localização do aparelho, ver chamadas e contactos e enviar tudo isto a outra pessoa.',
  'report.allowed.heading': 'Serviços conhecidos deixados de fora',
  'report.allowed.intro':
    'Estes servidores pertencem a serviços conhecidos de uma lista de serviços permitidos, por isso não foram contados como suspeitos.',
  'report.footer':
    'Este relatório foi elaborado neste computador. Nada da gravação foi enviado para lado nenhum.',

  // ---------------------------------------------------------------- findings (src/detect rule ids)
  'finding.IOC-01.title': 'Ligação ao endereço de um servidor espião conhecido',
  'finding.IOC-01.explanation':
    'O aparelho ligou-se a {host} (porta {port}), um endereço registado como servidor de {family}. Os programas espiões enviam o que recolhem para servidores como este.',
  'finding.IOC-02.title': 'Ligação a uma rede usada por programas espiões',
  'finding.IOC-02.explanation':
    'O aparelho ligou-se a {host}, que está dentro de um intervalo de endereços ({indicator}) registado como infraestrutura de programas espiões ou suspeita.',
  'finding.IOC-03.title': 'Pesquisa do nome de um servidor espião conhecido',
  'finding.IOC-03.explanation':
    'O aparelho pediu o endereço de {host}, um nome registado como servidor de {family}. Mesmo que o servidor já não responda, só uma aplicação que conhece este nome o pede.',
  'finding.IOC-04.title': 'Contacto com um rastreador usado por programas espiões',
  'finding.IOC-04.explanation': 'O aparelho contactou {host}, um nome registado como serviço de rastreamento usado por programas espiões.',
  'finding.IOC-05.title': 'Contacto com um endereço dinâmico gratuito',
  'finding.IOC-05.explanation':
    'O aparelho contactou {host}, um nome de um serviço gratuito de endereços dinâmicos. Estes serviços são baratos e fáceis de mudar, e são muitas vezes usados por servidores de programas espiões.',
  'finding.IOC-06.title': 'Contacto com um nome de terminação suspeita',
  'finding.IOC-06.explanation':
    'O aparelho contactou {host}, um nome que termina em .{tld}. Esta terminação é muitas vezes usada por serviços abusivos, mas também por serviços comuns.',
  'finding.IOC-07.title': 'O servidor usou um certificado conhecido de programas espiões',
  'finding.IOC-07.explanation':
    'O servidor {host} identificou-se com um certificado digital registado como pertencente a {family}.',
  'finding.IOC-08.title': 'Pedido não cifrado a um servidor espião conhecido',
  'finding.IOC-08.explanation':
    'O aparelho enviou pedidos web não cifrados a {host}, um nome registado como servidor de {family}.',
  'finding.IOC-09.title': 'Pedido não cifrado a um endereço dinâmico gratuito',
  'finding.IOC-09.explanation':
    'O aparelho enviou pedidos web não cifrados a {host}, um nome de um serviço gratuito de endereços dinâmicos muitas vezes usado por servidores de programas espiões.',
  'finding.IOC-10.title': 'Pedido não cifrado a um nome de terminação suspeita',
  'finding.IOC-10.explanation': 'O aparelho enviou pedidos web não cifrados a {host}, um nome que termina em .{tld}, muitas vezes usado por serviços abusivos.',
  'finding.IOC-11.title': 'Contacto com a rede Tor',
  'finding.IOC-11.explanation':
    'O aparelho contactou {host}, um nó da rede de anonimato Tor. O Tor protege a privacidade, mas também esconde tudo o que uma aplicação envia através dele.',
  'finding.IOC-12.title': 'Contacto com um serviço que programas espiões também usam',
  'finding.IOC-12.explanation':
    'O aparelho contactou {host}. É um serviço legítimo, mas alguns programas espiões também o usam; por si só, significa pouco.',
  'finding.IOC-13.title': 'Uso de um serviço de pesquisa de nomes cifrado',
  'finding.IOC-13.explanation':
    'O aparelho contactou {host}, um serviço que pesquisa nomes de forma cifrada. Muitos aparelhos e navegadores fazem isto; significa que algumas pesquisas de nomes ficaram escondidas desta verificação.',
  'finding.SSL-04.title': 'O certificado do servidor indica um servidor espião',
  'finding.SSL-04.explanation':
    'O servidor {host} apresentou um certificado em nome de {certName}, um nome registado como servidor de {family}.',
  'finding.IOC-SNI.title': 'Ligação cifrada a um servidor espião conhecido',
  'finding.IOC-SNI.explanation':
    'O aparelho abriu uma ligação cifrada a {host}, um nome registado como servidor de {family}. O conteúdo está escondido, mas o nome não.',
  'finding.IOC-QUIC-SNI.title': 'Ligação cifrada a um servidor espião conhecido',
  'finding.IOC-QUIC-SNI.explanation':
    'O aparelho abriu uma ligação cifrada (QUIC) a {host}, um nome registado como servidor de {family}. O conteúdo está escondido, mas o nome não.',
  'finding.IOC-CNAME.title': 'Um nome levava a um servidor espião conhecido',
  'finding.IOC-CNAME.explanation':
    'O aparelho pesquisou {host}, que afinal apontava para {cname}, um nome registado como servidor de {family}.',
  'finding.IOC-JA3.title': 'Ligação cifrada com uma impressão digital vista em programas espiões',
  'finding.IOC-JA3.explanation':
    'A forma como foi estabelecida uma ligação cifrada a {host} corresponde a uma impressão digital registada para {family}. Muitas aplicações comuns partilham estas impressões; é um indício, não uma prova.',
  'finding.IOC-JA4.title': 'Ligação cifrada com uma impressão digital vista em programas espiões',
  'finding.IOC-JA4.explanation':
    'A forma como foi estabelecida uma ligação cifrada a {host} corresponde a uma impressão digital registada para {family}. Muitas aplicações comuns partilham estas impressões; é um indício, não uma prova.',
  'finding.IOC-WEBSITE.title': 'Visita ao site de um vendedor de programas espiões',
  'finding.IOC-WEBSITE.explanation':
    'O aparelho visitou {host}, o site onde {family} é vendido ou descarregado. Isto não prova que a aplicação esteja instalada, mas talvez alguém a tenha comprado ou instalado a partir deste aparelho.',
  'finding.IOC-URL.title': 'Pedido não cifrado a um endereço espião conhecido',
  'finding.IOC-URL.explanation': 'O aparelho pediu {url}, um endereço web registado como usado por {family}.',
  'finding.IOC-NS.title': 'Nome gerido por um servidor de nomes suspeito',
  'finding.IOC-NS.explanation':
    'O aparelho pesquisou {host}, cujos endereços são geridos por {nameserver}, um servidor de nomes registado como suspeito.',
  'finding.IOC-PAYLOAD.title': 'Dados enviados de uma forma conhecida de programas espiões',
  'finding.IOC-PAYLOAD.explanation':
    'O aparelho trocou com {host} (porta {port}) dados que correspondem à forma como {family} envia o que recolhe.',
  'finding.PROTO-01.title': 'Tipo de tráfego invulgar',
  'finding.PROTO-01.explanation':
    'O aparelho trocou tráfego {proto} com {host} na porta {port}, que nenhum serviço comum de telemóvel usa. Alguns programas espiões usam canais invulgares como este.',
  'finding.PROTO-02.title': 'Ligação numa porta invulgar',
  'finding.PROTO-02.explanation':
    'O aparelho ligou-se a {host} na porta {port}, que as aplicações comuns raramente usam. Pode ser inofensivo, mas os servidores espiões baratos muitas vezes escutam em portas assim.',
  'finding.PROTO-03.title': 'Tráfego web não cifrado',
  'finding.PROTO-03.explanation':
    'O aparelho enviou pedidos web a {host} sem cifra. Qualquer pessoa na mesma rede os podia ler. Muitas aplicações antigas ainda fazem isto.',
  'finding.PROTO-04.title': 'Tráfego web não cifrado numa porta invulgar',
  'finding.PROTO-04.explanation':
    'O aparelho enviou pedidos web não cifrados a {host} na porta {port}. Os sites comuns raramente fazem isto; alguns programas espiões fazem.',
  'finding.PROTO-05.title': 'Servidor contactado sem pesquisar o seu nome',
  'finding.PROTO-05.explanation':
    'O aparelho contactou {host} sem pesquisar nenhum nome para ele durante a gravação. O endereço pode estar embutido numa aplicação, ou foi pesquisado antes de a gravação começar.',
  'finding.SSL-01.title': 'Ligação cifrada numa porta invulgar',
  'finding.SSL-01.explanation':
    'O aparelho abriu uma ligação cifrada a {host} na porta {port}. Os sites comuns usam a porta 443; os servidores espiões por vezes usam outras.',
  'finding.SSL-02.title': 'Certificado de um fornecedor gratuito',
  'finding.SSL-02.explanation':
    'O servidor {host} usa um certificado gratuito de {issuer}. Muitíssimos sites normais fazem isto; é referido apenas porque os servidores espiões também o fazem.',
  'finding.SSL-03.title': 'Certificado feito pelo próprio servidor',
  'finding.SSL-03.explanation':
    'O servidor {host} identificou-se com um certificado que criou para si próprio ({subject}) e que ninguém garante. Os serviços normais raramente fazem isto.',
  'finding.SSL-EXPIRED.title': 'Certificado expirado',
  'finding.SSL-EXPIRED.explanation':
    'O servidor {host} usou um certificado que já tinha expirado ({notAfter}). Os serviços bem geridos renovam os seus certificados; os servidores descuidados ou improvisados muitas vezes não.',
  'finding.SSL-NOT-YET-VALID.title': 'Certificado ainda não válido',
  'finding.SSL-NOT-YET-VALID.explanation':
    'O servidor {host} usou um certificado que só era válido a partir de {notBefore}. Acontece com servidores improvisados, ou quando um relógio está errado.',
  'finding.SSL-NAME-MISMATCH.title': 'O certificado não corresponde ao nome',
  'finding.SSL-NAME-MISMATCH.explanation':
    'O aparelho pediu {host}, mas o certificado do servidor está em nome de outros nomes ({certNames}). As aplicações normais recusam uma ligação assim; alguns programas espiões não verificam.',
  'finding.BEH-BEACON.title': 'Contactos regulares com o mesmo servidor',
  'finding.BEH-BEACON.explanation':
    'O aparelho contactou {host} {count} vezes, mais ou menos a cada {period}, de forma muito regular. Os programas espiões costumam comunicar num horário fixo, mas algumas aplicações comuns também.',
  'finding.BEH-UPLOAD.title': 'Muito mais dados enviados do que recebidos',
  'finding.BEH-UPLOAD.explanation':
    'O aparelho enviou {bytesUp} para {host} e só recebeu {bytesDown}. Enviar muitos dados é o que um programa espião faz com fotografias ou gravações, mas as cópias de segurança e os envios de ficheiros têm o mesmo aspeto.',
  'finding.BEH-DOT.title': 'Pesquisas de nomes cifradas',
  'finding.BEH-DOT.explanation':
    'O aparelho pesquisou nomes através de um serviço cifrado em {host}. Isto protege a privacidade, mas também esconde essas pesquisas desta verificação.',
  'finding.BEH-DOH.title': 'Pesquisas de nomes cifradas',
  'finding.BEH-DOH.explanation':
    'O aparelho usou {resolver} para pesquisar nomes de forma cifrada. Isto protege a privacidade, mas também esconde essas pesquisas desta verificação.',
  'finding.BEH-DEVICE-NAME.title': 'O nome do aparelho foi enviado sem cifra',
  'finding.BEH-DEVICE-NAME.explanation':
    'O nome do próprio aparelho ({deviceName}) foi enviado sem cifra para {host}. Algumas aplicações de rastreamento informam assim em que aparelho estão.',
  'finding.BEH-HOTSPOT-NAME.title': 'O nome da rede Wi-Fi foi enviado sem cifra',
  'finding.BEH-HOTSPOT-NAME.explanation':
    'O nome da rede Wi-Fi que o aparelho usou ({hotspotName}) foi enviado sem cifra para {host}. Talvez uma aplicação esteja a informar onde o aparelho está.',
  'finding.BEH-VPN.title': 'Túnel VPN',
  'finding.BEH-VPN.explanation':
    'O aparelho usou um túnel VPN {protocol} para {host}. O que passa dentro do túnel não pode ser verificado. Se não configurou uma VPN, mencione-o a uma pessoa especialista.',
  'finding.BEH-TOR.title': 'Ligação que parece Tor',
  'finding.BEH-TOR.explanation':
    'Uma ligação a {host} parece ser da rede de anonimato Tor. Tudo o que passa por ela fica escondido desta verificação.',
  'finding.ADV-01.title': 'Vários sinais apontam para este servidor',
  'finding.ADV-01.explanation':
    'Foram encontrados {count} sinais diferentes para {host} ({rules}). Em conjunto, dizem mais do que cada um sozinho.',
  'finding.familyUnknown': 'um programa espião',
  'finding.unknown.title': 'Constatação {id}',
  'finding.unknown.explanation': 'A regra de deteção {id} assinalou este servidor.',

  // ---------------------------------------------------------------- technical appendix
  'appendix.heading': 'Detalhes técnicos (para especialistas)',
  'appendix.capture.heading': 'A gravação',
  'appendix.sha256': 'SHA-256 do ficheiro',
  'appendix.fileName': 'Ficheiro',
  'appendix.format': 'Formato',
  'appendix.duration': 'Duração',
  'appendix.packets': 'Pacotes',
  'appendix.bytes': 'Volume do tráfego',
  'appendix.firstSeen': 'Primeiro pacote',
  'appendix.lastSeen': 'Último pacote',
  'appendix.timeline.heading': 'Tráfego ao longo do tempo',
  'appendix.timeline.caption': 'Bytes por intervalo de {bucket}. As marcas vermelhas mostram quando algo foi encontrado.',
  'appendix.timeline.empty': 'Não há tráfego para representar.',
  'appendix.connections.heading': 'Ligações',
  'appendix.more': 'Não são mostradas mais {count} linhas.',
  'appendix.dns.heading': 'Nomes pesquisados (DNS)',
  'appendix.tls.heading': 'Ligações cifradas e certificados (TLS, QUIC)',
  'appendix.http.heading': 'Pedidos web não cifrados (HTTP)',
  'appendix.feeds.heading': 'Listas de indicadores usadas',
  'appendix.feeds.none': 'Não foi carregada nenhuma lista de indicadores.',
  'appendix.allowed.heading': 'Servidores permitidos',
  'appendix.none': 'Nenhum.',
  'appendix.noAnswer': 'sem resposta',
  'col.proto': 'Protocolo',
  'col.client': 'De',
  'col.server': 'Para',
  'col.port': 'Porta',
  'col.names': 'Nomes',
  'col.service': 'Serviço',
  'col.packets': 'Pacotes',
  'col.sent': 'Enviado',
  'col.received': 'Recebido',
  'col.first': 'Visto pela primeira vez',
  'col.duration': 'Duração',
  'col.time': 'Hora',
  'col.name': 'Nome',
  'col.type': 'Tipo',
  'col.answers': 'Respostas',
  'col.sni': 'Nome do servidor',
  'col.certificate': 'Certificado',
  'col.issuer': 'Emissor',
  'col.validity': 'Validade',
  'col.method': 'Pedido',
  'col.host': 'Host',
  'col.feed': 'Lista',
  'col.version': 'Versão',
  'col.date': 'Atualizada',
  'col.entries': 'Entradas',
  'col.role': 'Função',
  'col.allowedBy': 'Permitido por',
  'col.silenced': 'Não assinalado',
  'feed.role.block': 'indicadores',
  'feed.role.allow': 'lista de permitidos',
  'cert.selfSigned': 'autoassinado',

  // ---------------------------------------------------------------- units and dates
  'date.utc': '{date} UTC',
  'date.unknown': 'em data desconhecida',
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
  'cli.reading': 'A ler {file}…',
  'cli.loadingFiles': 'A carregar {count} ficheiros de indicadores…',
  'cli.loadingStore': 'A carregar as listas de indicadores de {dir}…',
  'cli.noFeeds': 'Não foram encontradas listas de indicadores: só se procurará comportamento suspeito. Execute primeiro «quietcheck indicators update».',
  'cli.rendering': 'A escrever o relatório {format}…',
  'cli.written': 'Relatório escrito em {file}',
  'cli.verdict': 'Resultado: {level}. {summary}',
  'cli.pdfMissing':
    'Não é possível criar um PDF: o Chromium não foi encontrado em {path}. Instale-o (Debian/Ubuntu: sudo apt install chromium) ou use --format html e imprima a página a partir de um navegador.',
  'cli.pdfFailed': 'O Chromium não conseguiu imprimir o PDF: {reason}',
  'cli.error.noFile': '{file}: ficheiro inexistente',
  'cli.error.denied': '{file}: permissão negada',
  'cli.error.isDir': '{file}: é uma pasta, não um ficheiro',
  'cli.pdfToTerminal': 'Um PDF não pode ser mostrado no terminal: indique um ficheiro com -o relatorio.pdf.',
};
